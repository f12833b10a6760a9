import type { AgentTicket } from '../../../contracts/agents.ts';
import type { Lang } from '../../../contracts/common.ts';
import type { Ticket, TicketPriority, TicketStatus } from '../../../contracts/tickets.ts';
import type { Queryable } from '../../db/index.ts';
import { iso, isoOrNull } from '../../db/rows.ts';

// support_requests: the ticket's row. Every statement on it lives here (messages.repo.ts appends
// messages through tf_append_message, which also moves last_message_seq).

export type TicketRow = {
  id: string;
  email: string;
  message: string;
  status: Ticket['status'];
  priority: Ticket['priority'];
  lang: Lang;
  token_hash: string;
  create_retry_box: string | null;
  opened_from: string | null;
  order_number: string | null;
  last_message_seq: number;
  created_at: Date;
  updated_at: Date;
  last_agent_reply_at: Date | null;
  resolved_at: Date | null;
  assignee_id: string | null;
  merged_into: string | null;
  /** Handed over from a bot thread at its creation (migration 0022): the bot may answer while it waits for a person. */
  opened_from_thread: boolean;
};

/** The public shape of a ticket: never the token hash; `merged_into` only on a merged ticket. */
export function toTicket(row: TicketRow): Ticket {
  const ticket: Ticket = {
    id: row.id,
    email: row.email,
    message: row.message,
    status: row.status,
    priority: row.priority,
    lang: row.lang,
    order_number: row.order_number,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    last_agent_reply_at: isoOrNull(row.last_agent_reply_at),
  };
  if (row.merged_into) ticket.merged_into = row.merged_into;
  return ticket;
}

/** The staff's shape of a ticket: the public one, plus when it was resolved and its last message seq. */
export function toAgentTicket(row: TicketRow): AgentTicket {
  return {
    ...toTicket(row),
    resolved_at: isoOrNull(row.resolved_at),
    last_message_seq: row.last_message_seq,
    assignee_id: row.assignee_id,
    merged_into: row.merged_into ?? null,
  };
}

export async function findTicketById(q: Queryable, id: string): Promise<TicketRow | null> {
  const { rows } = await q.query<TicketRow>('SELECT * FROM support_requests WHERE id = $1', [id]);
  return rows[0] ?? null;
}

/** Locks the ticket row until the transaction ends: its messages are then written one at a time. */
export async function lockTicket(tx: Queryable, id: string): Promise<TicketRow | null> {
  const { rows } = await tx.query<TicketRow>('SELECT * FROM support_requests WHERE id = $1 FOR UPDATE', [id]);
  return rows[0] ?? null;
}

export async function insertTicket(
  tx: Queryable,
  t: { email: string; message: string; lang: Lang; tokenHash: string; orderNumber: string | null; openedFrom: string | null },
): Promise<TicketRow> {
  const { rows } = await tx.query<TicketRow>(
    `INSERT INTO support_requests (email, message, lang, token_hash, order_number, opened_from)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
    [t.email, t.message, t.lang, t.tokenHash, t.orderNumber, t.openedFrom],
  );
  return rows[0]!;
}

/**
 * The ticket when `tokenHash` opens it (its own token's, or a live e-mail link's: tf_token_opens_ticket,
 * migrations/functions/ticket-token.sql); null for an unknown id and another ticket's token alike. One
 * statement, the same for both: the check runs whether or not the id exists.
 */
export async function findTicketOpenedBy(q: Queryable, id: string, tokenHash: string): Promise<TicketRow | null> {
  const { rows } = await q.query<TicketRow>(
    `SELECT r.* FROM (SELECT tf_token_opens_ticket($1::uuid, $2::text) AS opens) t
       JOIN support_requests r ON t.opens AND r.id = $1::uuid`,
    [id, tokenHash],
  );
  return rows[0] ?? null;
}

/** Records that the ticket was opened from a bot thread, in the creation's transaction that links the thread. */
export async function markOpenedFromThread(tx: Queryable, id: string): Promise<void> {
  await tx.query('UPDATE support_requests SET opened_from_thread = true WHERE id = $1', [id]);
}

export async function setCreateRetryBox(tx: Queryable, id: string, box: string): Promise<void> {
  await tx.query('UPDATE support_requests SET create_retry_box = $2 WHERE id = $1', [id, box]);
}

export async function setTokenHash(tx: Queryable, id: string, tokenHash: string): Promise<TicketRow> {
  const { rows } = await tx.query<TicketRow>(
    'UPDATE support_requests SET token_hash = $2 WHERE id = $1 RETURNING *',
    [id, tokenHash],
  );
  return rows[0]!;
}

/** Serialises ticket creations for one e-mail address until the transaction ends. */
export async function lockEmail(tx: Queryable, email: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('ticket-limit:' || $1, 0))`, [email]);
}

/**
 * How many tickets this e-mail address opened in the window, how many of them from `openedFrom` (a
 * client address), and when the oldest of each leaves the window.
 */
export async function countRecentTickets(
  q: Queryable,
  email: string,
  openedFrom: string | null,
  windowSeconds: number,
): Promise<{ count: number; oldest: Date | null; fromAddress: number; oldestFromAddress: Date | null }> {
  const { rows } = await q.query<{ count: number; oldest: Date | null; from_address: number; oldest_from_address: Date | null }>(
    `SELECT count(*)::int AS count, min(created_at) AS oldest,
            count(*) FILTER (WHERE opened_from = $3)::int AS from_address,
            min(created_at) FILTER (WHERE opened_from = $3) AS oldest_from_address
       FROM support_requests
      WHERE email = $1 AND created_at > now() - make_interval(secs => $2)`,
    [email, windowSeconds, openedFrom],
  );
  const r = rows[0]!;
  return { count: r.count, oldest: r.oldest, fromAddress: r.from_address, oldestFromAddress: r.oldest_from_address };
}

/** The ticket whose opening message carried this clientId, for this address (a retried creation). */
export async function findTicketByOpeningClientId(
  q: Queryable,
  email: string,
  clientId: string,
): Promise<TicketRow | null> {
  const { rows } = await q.query<TicketRow>(
    `SELECT r.* FROM support_messages m JOIN support_requests r ON r.id = m.request_id
      WHERE m.client_id = $1 AND m.seq = 1 AND r.email = $2`,
    [clientId, email],
  );
  return rows[0] ?? null;
}

export async function findLanguagePreference(q: Queryable, userId: string): Promise<Lang | null> {
  const { rows } = await q.query<{ language: Lang }>('SELECT language FROM user_preferences WHERE user_id = $1', [
    userId,
  ]);
  return rows[0]?.language ?? null;
}

/** Remembers a language for this address unless one is already remembered (a new ticket never changes it). */
export async function insertLanguagePreferenceIfNone(q: Queryable, userId: string, lang: Lang): Promise<void> {
  await q.query(
    `INSERT INTO user_preferences (user_id, language) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING`,
    [userId, lang],
  );
}

/**
 * Sets status, priority and assignee; resolved_at follows the status (trigger track_resolved_at,
 * functions/ticket-status.sql).
 */
export async function updateTicketFields(
  tx: Queryable,
  id: string,
  changes: { status: TicketStatus; priority: TicketPriority; assigneeId: string | null },
): Promise<TicketRow> {
  const { rows } = await tx.query<TicketRow>(
    `UPDATE support_requests SET status = $2, priority = $3, assignee_id = $4, updated_at = now() WHERE id = $1 RETURNING *`,
    [id, changes.status, changes.priority, changes.assigneeId],
  );
  return rows[0]!;
}

/** Sets the status alone (scripts/db-seed.ts); resolved_at follows it (trigger track_resolved_at). */
export async function setTicketStatus(tx: Queryable, id: string, status: TicketStatus): Promise<TicketRow> {
  const { rows } = await tx.query<TicketRow>(
    'UPDATE support_requests SET status = $2, updated_at = now() WHERE id = $1 RETURNING *',
    [id, status],
  );
  return rows[0]!;
}

/** A ticket's highest message seq (0 when it has none), or null when the ticket does not exist. */
export async function findLastMessageSeq(q: Queryable, ticketId: string): Promise<number | null> {
  const { rows } = await q.query<{ last_message_seq: number }>(
    'SELECT last_message_seq FROM support_requests WHERE id = $1',
    [ticketId],
  );
  return rows[0]?.last_message_seq ?? null;
}

/** The highest message seq of each of these tickets (one query for the hub's safety sweep). */
export async function listLastMessageSeqs(q: Queryable, ticketIds: string[]): Promise<Array<{ id: string; last_message_seq: number }>> {
  const { rows } = await q.query<{ id: string; last_message_seq: number }>(
    'SELECT id, last_message_seq FROM support_requests WHERE id = ANY($1::uuid[])',
    [ticketIds],
  );
  return rows;
}

/** Tickets changed after `since` (database clock), oldest change first. */
export async function listTicketsUpdatedSince(q: Queryable, since: Date, limit: number): Promise<TicketRow[]> {
  const { rows } = await q.query<TicketRow>(
    'SELECT * FROM support_requests WHERE updated_at > $1 ORDER BY updated_at ASC LIMIT $2',
    [since, limit],
  );
  return rows;
}
