import type { TicketPriority } from '../../../contracts/tickets.ts';
import type { Queryable } from '../../db/index.ts';
import type { EscalatablePriority } from '../../escalation-windows.ts';

export type EscalationCandidate = { id: string; priority: EscalatablePriority; waiting_since: Date };

/**
 * Open tickets nobody answered whose current priority has lasted since `dueSince` of that priority or
 * longer (the start of a full window of staffed time), locked for this transaction. SKIP LOCKED: a
 * ticket another instance is escalating right now is left to that instance.
 */
export async function lockDueTickets(
  tx: Queryable,
  dueSince: { priority: EscalatablePriority; since: Date }[],
  limit: number,
): Promise<EscalationCandidate[]> {
  if (!dueSince.length) return [];
  const { rows } = await tx.query<EscalationCandidate>(
    `SELECT r.id, r.priority, COALESCE(r.priority_changed_at, r.created_at) AS waiting_since
       FROM support_requests r
       JOIN unnest($1::text[], $2::timestamptz[]) AS w(priority, since) ON w.priority = r.priority
      WHERE r.status = 'open'
        AND r.last_agent_reply_at IS NULL
        AND COALESCE(r.priority_changed_at, r.created_at) <= w.since
      ORDER BY COALESCE(r.priority_changed_at, r.created_at)
      LIMIT $3
      FOR UPDATE OF r SKIP LOCKED`,
    [dueSince.map((d) => d.priority), dueSince.map((d) => d.since), limit],
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
