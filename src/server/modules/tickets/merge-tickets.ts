import { AGENT_ACTIONS, type MergeTicketsResponse } from '../../../contracts/agents.ts';
import type { Db } from '../../db/index.ts';
import { BUS_EVENTS, publishEvent } from '../../events/bus.ts';
import { AppError } from '../../http/app-error.ts';
import type { SessionAgent } from '../agents/index.ts';
import { moveTicketAttachments } from '../attachments/index.ts';
import { insertAgentAction } from './agent-actions.repo.ts';
import { closeMergedTicket, lockTicketPair, moveAndRenumberMessages, updateKeptTicket } from './merge.repo.ts';
import { refusal } from './outcomes.ts';
import { toAgentTicket } from './tickets.repo.ts';

/**
 * POST /api/agent/tickets/:id/merge: ticket `mergedId` joins `keptId`, one conversation of the same
 * customer. In one transaction, under the row locks of both tickets (taken in id order):
 * - every message of the merged ticket moves to the kept one, and the kept conversation is renumbered
 *   1..n in time order (merge.repo.ts), so seq keeps its guarantees (a total order without gap, the
 *   next message n+1); the attachments follow;
 * - the merged ticket is closed with `merged_into`: its token and e-mail links open the kept ticket
 *   (tf_token_opens_ticket); a `merge` entry goes on both timelines;
 * - the bus is told (ticket.merged: both tickets' subscribers get a `ticket.merged` frame and the kept
 *   ticket's subscriptions restart at its new last seq; ticket.updated for the queue).
 * Refused with 409 (nothing written) for the same ticket, another customer's ticket (e-mail addresses
 * compared case-insensitively), or a ticket already merged on either side; 404 when either is unknown.
 */
export async function mergeTickets(options: {
  db: Db;
  agent: SessionAgent;
  keptId: string;
  mergedId: string;
}): Promise<MergeTicketsResponse> {
  const { agent, keptId, mergedId } = options;
  return options.db.transaction(async (tx) => {
    const rows = await lockTicketPair(tx, keptId, mergedId);
    const kept = rows.find((r) => r.id === keptId);
    const merged = rows.find((r) => r.id === mergedId);
    if (!kept || !merged) throw refusal({ outcome: 'not_found' });
    if (kept.id === merged.id) throw new AppError('conflict', { reason: 'merge_same_ticket' });
    if (kept.email.toLowerCase() !== merged.email.toLowerCase()) {
      throw new AppError('conflict', { reason: 'merge_other_customer' });
    }
    if (kept.merged_into || merged.merged_into) throw new AppError('conflict', { reason: 'merge_already_merged' });

    const lastSeq = await moveAndRenumberMessages(tx, kept.id, merged.id);
    await moveTicketAttachments(tx, merged.id, kept.id);
    const keptAfter = await updateKeptTicket(tx, kept.id, merged.id, lastSeq);
    const mergedAfter = await closeMergedTicket(tx, merged.id, kept.id);
    for (const ticketId of [kept.id, merged.id]) {
      await insertAgentAction(tx, {
        ticketId,
        agentId: agent.id,
        action: AGENT_ACTIONS.merge,
        details: { from: merged.id, into: kept.id, before: { status: merged.status } },
      });
    }
    await publishEvent(tx, { type: BUS_EVENTS.ticketMerged, ticketId: kept.id, mergedId: merged.id });
    await publishEvent(tx, { type: BUS_EVENTS.ticketUpdated, ticketId: kept.id });
    await publishEvent(tx, { type: BUS_EVENTS.ticketUpdated, ticketId: merged.id });
    return { ticket: toAgentTicket(keptAfter), merged: toAgentTicket(mergedAfter) };
  });
}
