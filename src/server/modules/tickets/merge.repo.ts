import type { Queryable } from '../../db/index.ts';
import type { TicketRow } from './tickets.repo.ts';

// The statements of the customer panel and of a merge (merge-tickets.ts): on support_requests and
// support_messages, this module's tables.

/**
 * Both tickets locked (FOR UPDATE), always in id order, so that two merges of the same pair, whichever
 * way round, queue instead of deadlocking. Returns the rows found (fewer than two when one is missing).
 */
export async function lockTicketPair(tx: Queryable, a: string, b: string): Promise<TicketRow[]> {
  const { rows } = await tx.query<TicketRow>(
    'SELECT * FROM support_requests WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
    [[a, b]],
  );
  return rows;
}

/**
 * Moves every message of `fromId` into `keptId` and renumbers the kept conversation 1..n in time order
 * (created_at; on a tie the older ticket's first, then each ticket's own seq order), so that seq stays
 * the per-ticket order without tie or gap that pagination and realtime resume rely on. Two statements
 * under the caller's locks of both tickets: first each row takes its new place as a negative seq (no
 * (request_id, seq) collides, whatever the old values), then the signs flip. A customer clientId that
 * the kept ticket already holds (two random ids colliding) is dropped on the moved row. Returns n, the
 * kept ticket's new last_message_seq.
 */
export async function moveAndRenumberMessages(tx: Queryable, keptId: string, fromId: string): Promise<number> {
  await tx.query(
    `UPDATE support_messages m SET client_id = NULL
      WHERE m.request_id = $2 AND m.client_id IS NOT NULL
        AND EXISTS (SELECT 1 FROM support_messages k WHERE k.request_id = $1 AND k.client_id = m.client_id)`,
    [keptId, fromId],
  );
  await tx.query(
    `WITH ordered AS (
       SELECT m.id, row_number() OVER (ORDER BY m.created_at, r.created_at, r.id, m.seq) AS n
         FROM support_messages m JOIN support_requests r ON r.id = m.request_id
        WHERE m.request_id IN ($1, $2)
     )
     UPDATE support_messages m SET request_id = $1, seq = -o.n FROM ordered o WHERE m.id = o.id`,
    [keptId, fromId],
  );
  const { rows } = await tx.query<{ n: number }>(
    `WITH flipped AS (UPDATE support_messages SET seq = -seq WHERE request_id = $1 AND seq < 0 RETURNING seq)
     SELECT coalesce(max(seq), 0)::int AS n FROM flipped`,
    [keptId],
  );
  return rows[0]!.n;
}

/** The kept ticket after a merge: its new last seq, the earliest reply of either ticket, touched. */
export async function updateKeptTicket(tx: Queryable, keptId: string, fromId: string, lastSeq: number): Promise<TicketRow> {
  const { rows } = await tx.query<TicketRow>(
    `UPDATE support_requests k
        SET last_message_seq = $3,
            last_agent_reply_at = (SELECT max(last_agent_reply_at) FROM support_requests WHERE id IN ($1, $2)),
            updated_at = now()
      WHERE k.id = $1 RETURNING *`,
    [keptId, fromId, lastSeq],
  );
  return rows[0]!;
}

/**
 * The merged ticket: closed (resolved_at by the status trigger), pointing at the kept one, and so are
 * the tickets merged into it before, so merged_into always names a ticket that holds its conversation.
 */
export async function closeMergedTicket(tx: Queryable, fromId: string, keptId: string): Promise<TicketRow> {
  await tx.query('UPDATE support_requests SET merged_into = $2, updated_at = now() WHERE merged_into = $1', [fromId, keptId]);
  const { rows } = await tx.query<TicketRow>(
    `UPDATE support_requests SET status = 'closed', merged_into = $2, updated_at = now() WHERE id = $1 RETURNING *`,
    [fromId, keptId],
  );
  return rows[0]!;
}

/** The other tickets of this address (any case), newest first, without `exceptId`. */
export async function listTicketsOfEmail(q: Queryable, email: string, exceptId: string, limit: number): Promise<TicketRow[]> {
  const { rows } = await q.query<TicketRow>(
    `SELECT * FROM support_requests WHERE lower(email) = lower($1) AND id <> $2 ORDER BY created_at DESC, id LIMIT $3`,
    [email, exceptId, limit],
  );
  return rows;
}
