import type { TicketPriority } from '../../../contracts/tickets.ts';
import type { Queryable } from '../../db/index.ts';
import { ESCALATABLE_PRIORITIES, type EscalatablePriority, type EscalationWindows } from '../../escalation-windows.ts';

export type EscalationCandidate = { id: string; priority: EscalatablePriority; waiting_since: Date };

/**
 * Open tickets nobody answered whose current priority has lasted longer than its window, locked for this
 * transaction. SKIP LOCKED: a ticket another instance is escalating right now is left to that instance.
 */
export async function lockDueTickets(
  tx: Queryable,
  windows: EscalationWindows,
  now: Date,
  limit: number,
): Promise<EscalationCandidate[]> {
  const priorities = ESCALATABLE_PRIORITIES.filter((p) => windows[p] !== undefined);
  if (!priorities.length) return [];
  const minutes = priorities.map((p) => windows[p]!);
  const { rows } = await tx.query<EscalationCandidate>(
    `SELECT r.id, r.priority, COALESCE(r.priority_changed_at, r.created_at) AS waiting_since
       FROM support_requests r
       JOIN unnest($1::text[], $2::float8[]) AS w(priority, minutes) ON w.priority = r.priority
      WHERE r.status = 'open'
        AND r.last_agent_reply_at IS NULL
        AND COALESCE(r.priority_changed_at, r.created_at) <= $3::timestamptz - w.minutes * interval '1 minute'
      ORDER BY COALESCE(r.priority_changed_at, r.created_at)
      LIMIT $4
      FOR UPDATE OF r SKIP LOCKED`,
    [priorities, minutes, now, limit],
  );
  return rows;
}

/**
 * Raises the ticket from `from` to `to`, only if it is still in the state it was selected in (the guard
 * makes a second attempt at the same step a no-op). Returns whether it did.
 */
export async function raisePriority(
  tx: Queryable,
  c: { id: string; from: TicketPriority; to: TicketPriority; now: Date },
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE support_requests
        SET priority = $3, priority_changed_at = $4, updated_at = now()
      WHERE id = $1 AND priority = $2 AND status = 'open' AND last_agent_reply_at IS NULL`,
    [c.id, c.from, c.to, c.now],
  );
  return rowCount === 1;
}
