import {
  AGENT_ACTIONS,
  AGENT_LIMITS,
  type AgentMessage,
  type AgentTicket,
  type AgentTicketDetail,
  type TicketQueueQuery,
  type TicketQueueResponse,
  type UpdateTicketBody,
} from '../../../contracts/agents.ts';
import type { Db } from '../../db/index.ts';
import { AppError } from '../../http/app-error.ts';
import { insertAnalyticsEvent } from '../analytics/analytics.repo.ts';
import { enqueueEmail } from '../email/email.repo.ts';
import type { SessionAgent } from '../agents/session-agent.ts';
import { decodeCursor, encodeCursor } from '../messages/cursor.ts';
import { listMessagesBefore } from '../messages/messages.repo.ts';
import { appendMessage } from '../messages/messages.service.ts';
import { findOrderForTicket } from '../orders/orders.service.ts';
import { BUS_EVENTS, publishEvent } from '../../events/bus.ts';
import { findTicketById, lockTicket } from '../tickets/tickets.repo.ts';
import { insertAgentAction, listQueue, toAgentMessage, toAgentTicket, updateTicketFields } from './agent-tickets.repo.ts';

export async function getTicketQueue(options: { db: Db; query: TicketQueueQuery }): Promise<TicketQueueResponse> {
  const { query } = options;
  const { rows, total } = await listQueue(options.db, query);
  return {
    tickets: rows.map(toAgentTicket),
    pagination: { page: query.page, limit: query.limit, total, totalPages: Math.ceil(total / query.limit) },
  };
}

/** Newest messages first in the database, oldest first on the page; the cursor reaches older ones. */
export async function getAgentMessagePage(options: {
  db: Db;
  ticketId: string;
  limit: number;
  cursor?: string;
}): Promise<{ messages: AgentMessage[]; hasMore: boolean; nextCursor: string | null }> {
  const beforeSeq = options.cursor ? decodeCursor(options.cursor) : null;
  const ticket = await findTicketById(options.db, options.ticketId);
  if (!ticket) throw new AppError('not_found', { reason: 'ticket_not_found' });
  const rows = await listMessagesBefore(options.db, options.ticketId, beforeSeq, options.limit + 1);
  const hasMore = rows.length > options.limit;
  const page = rows.slice(0, options.limit).reverse();
  return {
    messages: page.map(toAgentMessage),
    hasMore,
    nextCursor: hasMore && page[0] ? encodeCursor(page[0].seq) : null,
  };
}

export async function getAgentTicketDetail(options: { db: Db; ticketId: string }): Promise<AgentTicketDetail> {
  const ticket = await findTicketById(options.db, options.ticketId);
  if (!ticket) throw new AppError('not_found', { reason: 'ticket_not_found' });
  const page = await getAgentMessagePage({ db: options.db, ticketId: ticket.id, limit: AGENT_LIMITS.detailMessages });
  return { ticket: toAgentTicket(ticket), ...page, order: await findOrderForTicket(options.db, ticket) };
}

function actionName(statusChanged: boolean, priorityChanged: boolean): string {
  if (statusChanged && priorityChanged) return AGENT_ACTIONS.update;
  if (statusChanged) return AGENT_ACTIONS.statusChange;
  if (priorityChanged) return AGENT_ACTIONS.priorityChange;
  return AGENT_ACTIONS.note;
}

/**
 * An agent's change to a ticket's status, priority, or a note. In one transaction: the ticket row
 * (locked), the audit row in agent_actions (who, what, before, after, note), a `ticket_resolved`
 * analytics row with the resolution time when it becomes resolved, and the bus event. A request that
 * changes nothing and carries no note writes nothing.
 */
export async function updateAgentTicket(options: {
  db: Db;
  agent: SessionAgent;
  ticketId: string;
  changes: UpdateTicketBody;
}): Promise<AgentTicket> {
  const { agent, changes } = options;
  return options.db.transaction(async (tx) => {
    const before = await lockTicket(tx, options.ticketId);
    if (!before) throw new AppError('not_found', { reason: 'ticket_not_found' });
    const status = changes.status ?? before.status;
    const priority = changes.priority ?? before.priority;
    const statusChanged = status !== before.status;
    const priorityChanged = priority !== before.priority;
    if (!statusChanged && !priorityChanged && changes.agent_note === undefined) return toAgentTicket(before);

    const after = statusChanged || priorityChanged ? await updateTicketFields(tx, before.id, { status, priority }) : before;
    await insertAgentAction(tx, {
      ticketId: before.id,
      agentId: agent.id,
      action: actionName(statusChanged, priorityChanged),
      details: {
        before: { status: before.status, priority: before.priority },
        after: { status: after.status, priority: after.priority },
        note: changes.agent_note ?? null,
      },
    });
    if (status === 'resolved' && (before.status === 'open' || before.status === 'pending')) {
      const resolvedAt = after.resolved_at ?? new Date();
      await insertAnalyticsEvent(tx, {
        metricType: 'ticket_resolved',
        requestId: before.id,
        agentId: agent.id,
        resolutionTimeSeconds: Math.max(0, Math.round((resolvedAt.getTime() - before.created_at.getTime()) / 1000)),
        metadata: { from_status: before.status },
      });
    }
    if (statusChanged || priorityChanged) {
      await publishEvent(tx, { type: BUS_EVENTS.ticketUpdated, ticketId: before.id });
    }
    return toAgentTicket(after);
  });
}

/**
 * An agent's reply: the message (the trigger sets last_agent_reply_at and records the first response
 * once), the `agent_reply` e-mail in the outbox and the ticket.updated event, all in one transaction.
 */
export async function replyAsAgent(options: {
  db: Db;
  agent: SessionAgent;
  ticketId: string;
  body: string;
  clientId?: string;
}): Promise<{ message: AgentMessage; created: boolean }> {
  return options.db.transaction(async (tx) => {
    const { ticket, message, created } = await appendMessage(tx, {
      ticketId: options.ticketId,
      authorType: 'agent',
      body: options.body,
      clientId: options.clientId ?? null,
      agentId: options.agent.id,
    });
    if (!created) {
      // A resend of a reply already stored: answer with it. A clientId that names a customer's message
      // is not this agent's to claim.
      if (message.author_type !== 'agent') throw new AppError('conflict');
      return { message: toAgentMessage(message), created: false };
    }
    await enqueueEmail(tx, {
      requestId: ticket.id,
      messageId: message.id,
      type: 'agent_reply',
      recipient: ticket.email,
      lang: ticket.lang,
    });
    await publishEvent(tx, { type: BUS_EVENTS.ticketUpdated, ticketId: ticket.id });
    return { message: toAgentMessage(message), created: true };
  });
}
