import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessRecordEntry } from '../../../contracts/privacy.ts';
import type { Db, Queryable } from '../../db/index.ts';
import { iso } from '../../db/rows.ts';
import { pseudonymOf } from './pseudonym.ts';
import { findTicketAddress, hasRecentView, insertAccessRecord, listAccessRecord, type AccessRecordInsert } from './privacy.repo.ts';

/** Who acts on a customer's data: an agent (by session), the customer through a confirmed link, the retention job. */
export type PrivacyActor = { kind: 'agent'; id: string; email: string } | { kind: 'customer' } | { kind: 'retention' };

/** Staff pages that show one customer's data: opening one of them is a line of the access record. */
export const VIEW_ROUTES = new Set(['GET /api/agent/tickets/:id', 'GET /api/agent/tickets/:id/customer']);
/** The same agent opening the same ticket again within this time is one view (the dashboard refetches often). */
export const VIEW_DEDUPE_MINUTES = 10;

export async function recordAccess(
  q: Queryable & object,
  a: { actor: PrivacyActor; action: AccessRecordInsert['action']; email: string; ticketId?: string | null; details?: Record<string, unknown> },
): Promise<void> {
  await insertAccessRecord(q, {
    actor: a.actor.kind,
    agentId: a.actor.kind === 'agent' ? a.actor.id : null,
    agentEmail: a.actor.kind === 'agent' ? a.actor.email : null,
    action: a.action,
    subject: await pseudonymOf(q, a.email),
    ticketId: a.ticketId ?? null,
    details: a.details,
  });
}

/** Records that an agent opened a ticket (deduplicated per VIEW_DEDUPE_MINUTES); nothing for an unknown ticket. */
export async function recordTicketView(db: Db, agent: { id: string; email: string }, ticketId: string): Promise<void> {
  await db.transaction(async (tx) => {
    // Two answers to the same agent for the same ticket may finish together: one of them writes the line.
    if (await hasRecentView(tx, { agentId: agent.id, ticketId, minutes: VIEW_DEDUPE_MINUTES })) return;
    const email = await findTicketAddress(tx, ticketId);
    if (email === null) return;
    await recordAccess(tx, { actor: { kind: 'agent', id: agent.id, email: agent.email }, action: 'view', email, ticketId });
  });
}

/**
 * The onResponse hook that writes the views (registered for the whole app by privacyRoutes): after the
 * answer left, so it costs the agent nothing; a failure is logged, never shown.
 */
export function accessRecordHook(db: Db) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (reply.statusCode !== 200 || !request.agent) return;
    if (!VIEW_ROUTES.has(`${request.method} ${request.routeOptions.url}`)) return;
    const ticketId = (request.params as { id?: string }).id;
    if (!ticketId) return;
    await recordTicketView(db, request.agent, ticketId).catch((err: unknown) => request.log.warn({ err }, 'privacy: view not recorded'));
  };
}

/** The access record, newest first: of one address (by its pseudonym, so erased customers too), or all. */
export async function listAccess(o: { db: Db; email?: string; limit: number }): Promise<{ entries: AccessRecordEntry[] }> {
  const subject = o.email === undefined ? null : await pseudonymOf(o.db, o.email);
  const rows = await listAccessRecord(o.db, { subject, limit: o.limit });
  return {
    entries: rows.map((r) => ({
      id: Number(r.id),
      at: iso(r.at),
      actor: r.actor,
      agentId: r.agent_id,
      agentEmail: r.agent_email,
      action: r.action,
      subject: r.subject,
      ticketId: r.ticket_id,
      details: r.details,
    })),
  };
}
