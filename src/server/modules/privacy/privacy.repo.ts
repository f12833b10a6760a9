import type { Lang } from '../../../contracts/common.ts';
import type { Db, Queryable } from '../../db/index.ts';
import { EMAIL_CHANNEL_SQL } from '../../events/email-outbox.ts';

// Privacy's SQL. Its own tables (privacy_keys, privacy_requests, privacy_access_log) and, deliberately,
// the one map of every table that holds a customer's personal data: an erasure must change all of them in
// one transaction (all or nothing), and a reader of this file sees at once what an export or an erasure
// reaches. A new table with personal data belongs here, and in docs/privacy.md.

export async function readPrivacyKey(q: Queryable): Promise<string> {
  const { rows } = await q.query<{ secret: string }>('SELECT secret FROM privacy_keys WHERE id = 1');
  if (!rows[0]) throw new Error('privacy_keys is empty: migration 0020 did not run');
  return rows[0].secret;
}

// ---------------------------------------------------------------- reading (export, the access record)

export type TicketExportRow = {
  id: string;
  email: string;
  message: string;
  status: string;
  priority: string;
  lang: string;
  order_number: string | null;
  created_at: Date;
  updated_at: Date;
  resolved_at: Date | null;
  legal_hold: boolean;
};

export async function listTicketsOfAddress(q: Queryable, email: string, options: { forUpdate?: boolean } = {}): Promise<TicketExportRow[]> {
  const { rows } = await q.query<TicketExportRow>(
    `SELECT id, email, message, status, priority, lang, order_number, created_at, updated_at, resolved_at, legal_hold
       FROM support_requests WHERE lower(email) = $1 AND erased_at IS NULL
      ORDER BY created_at, id ${options.forUpdate ? 'FOR UPDATE' : ''}`,
    [email],
  );
  return rows;
}

export async function listMessagesOfTickets(q: Queryable, ticketIds: string[]) {
  const { rows } = await q.query<{ id: string; request_id: string; author_type: string; body: string; created_at: Date }>(
    `SELECT id, request_id, author_type, body, created_at FROM support_messages WHERE request_id = ANY($1::uuid[]) ORDER BY request_id, seq`,
    [ticketIds],
  );
  return rows;
}

export async function listAttachmentsOfTickets(q: Queryable, ticketIds: string[]) {
  const { rows } = await q.query<{ id: string; request_id: string; name: string; mime: string; size: number; uploaded_by: string; created_at: Date }>(
    `SELECT id, request_id, name, mime, size, uploaded_by, created_at FROM attachments WHERE request_id = ANY($1::uuid[]) ORDER BY created_at, id`,
    [ticketIds],
  );
  return rows;
}

export async function listRatingsOfTickets(q: Queryable, ticketIds: string[]) {
  const { rows } = await q.query<{ request_id: string; metadata: { score?: unknown; comment?: unknown } | null; created_at: Date }>(
    `SELECT request_id, metadata, created_at FROM support_analytics WHERE request_id = ANY($1::uuid[]) AND metric_type = 'user_satisfaction'`,
    [ticketIds],
  );
  return rows;
}

export async function listNotesOfTickets(q: Queryable, ticketIds: string[]) {
  const { rows } = await q.query<{ ticket_id: string; details: unknown; created_at: Date }>(
    `SELECT ticket_id, details, created_at FROM agent_actions WHERE ticket_id = ANY($1::uuid[]) AND action = 'note' ORDER BY created_at, id`,
    [ticketIds],
  );
  return rows;
}

export async function listInboundEmailsOfTickets(q: Queryable, ticketIds: string[]) {
  const { rows } = await q.query<{ request_id: string; from_address: string; via: string; created_at: Date }>(
    `SELECT request_id, from_address, via, created_at FROM inbound_emails WHERE request_id = ANY($1::uuid[]) ORDER BY created_at`,
    [ticketIds],
  );
  return rows;
}

export async function listBotThreadsOfTickets(q: Queryable, ticketIds: string[]) {
  const { rows } = await q.query<{ id: string; request_id: string; lang: string; created_at: Date }>(
    `SELECT id, request_id, lang, created_at FROM bot_threads WHERE request_id = ANY($1::uuid[]) ORDER BY created_at`,
    [ticketIds],
  );
  return rows;
}

export async function listBotTurns(q: Queryable, threadIds: string[]) {
  const { rows } = await q.query<{ thread_id: string; seq: number; author_type: string; body: string; created_at: Date }>(
    `SELECT thread_id, seq, author_type, body, created_at FROM bot_turns WHERE thread_id = ANY($1::uuid[]) ORDER BY thread_id, seq`,
    [threadIds],
  );
  return rows;
}

export async function listOrdersOfAddress(q: Queryable, email: string) {
  const { rows } = await q.query<{ id: string; number: string; status: string; items: unknown; eta: Date | null; created_at: Date }>(
    `SELECT id, number, status, items, eta, created_at FROM orders WHERE email = $1 ORDER BY created_at`,
    [email],
  );
  return rows;
}

export async function listOrderEvents(q: Queryable, orderIds: string[]) {
  const { rows } = await q.query<{ order_id: string; status: string; at: Date; note: string | null }>(
    `SELECT order_id, status, at, note FROM order_events WHERE order_id = ANY($1::uuid[]) ORDER BY at, created_at`,
    [orderIds],
  );
  return rows;
}

/** E-mails to the address or about its tickets, with the dev mailbox's copy when there is one. */
export async function listEmailsOfAddress(q: Queryable, email: string, ticketIds: string[]) {
  const { rows } = await q.query<{
    id: string;
    email_type: string;
    status: string;
    request_id: string | null;
    created_at: Date;
    sent_at: Date | null;
    subject: string | null;
    text_body: string | null;
  }>(
    `SELECT e.id, e.email_type, e.status, e.request_id, e.created_at, e.sent_at, m.subject, m.text_body
       FROM email_queue e
       LEFT JOIN LATERAL (SELECT subject, text_body FROM dev_mailbox d WHERE d.email_id = e.id ORDER BY created_at DESC LIMIT 1) m ON true
      WHERE e.request_id = ANY($2::uuid[]) OR lower(e.recipient_email) = $1
      ORDER BY e.created_at, e.id`,
    [email, ticketIds],
  );
  return rows;
}

/** Whether anything is kept about the address (a ticket or an order): a request for an unknown one mails nothing. */
export async function isKnownAddress(q: Queryable, email: string): Promise<boolean> {
  const { rows } = await q.query<{ known: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM support_requests WHERE lower(email) = $1 AND erased_at IS NULL)
         OR EXISTS (SELECT 1 FROM orders WHERE email = $1) AS known`,
    [email],
  );
  return rows[0]!.known;
}

// ---------------------------------------------------------------- erasing

/** Tickets of an erasure (by address) that may not be erased: under legal hold. */
export function heldTickets(tickets: TicketExportRow[]): string[] {
  return tickets.filter((t) => t.legal_hold).map((t) => t.id);
}

/** The customers' own texts in the bot threads of these tickets (what the learning loop may have noted). */
export async function listCustomerTurnTexts(q: Queryable, ticketIds: string[]): Promise<string[]> {
  const { rows } = await q.query<{ body: string }>(
    `SELECT t.body FROM bot_turns t JOIN bot_threads th ON th.id = t.thread_id
      WHERE th.request_id = ANY($1::uuid[]) AND t.author_type = 'user'
     UNION
     SELECT m.body FROM support_messages m WHERE m.request_id = ANY($1::uuid[]) AND m.author_type = 'user'`,
    [ticketIds],
  );
  return rows.map((r) => r.body);
}

export type TicketScrubCounts = {
  messages: number;
  attachments: number;
  notes: number;
  emails: number;
  tokens: number;
  inboundEmails: number;
  botThreads: number;
};

/**
 * Erases what these tickets hold about their customer, keeping the rows analytics count: messages, notes,
 * the first message and the bot threads' turns become `marker`; the address becomes `erasedAddress`;
 * attachments (and their bytes), e-mails, the dev mailbox's copies and the access links are deleted; the
 * ticket's own token is replaced by a random one nobody holds. `email` (lower-cased) also reaches the
 * e-mails sent to the address outside these tickets (a privacy request's). Inside the caller's transaction.
 */
export async function scrubTickets(
  tx: Queryable,
  s: { ticketIds: string[]; email: string | null; erasedAddress: string; marker: string },
): Promise<TicketScrubCounts> {
  const ids = s.ticketIds;
  const messages = await tx.query(`UPDATE support_messages SET body = $2, client_id = NULL WHERE request_id = ANY($1::uuid[])`, [ids, s.marker]);
  const attachments = await tx.query(`DELETE FROM attachments WHERE request_id = ANY($1::uuid[])`, [ids]);
  const notes = await tx.query(
    `UPDATE agent_actions SET details = jsonb_build_object('note', $2::text) WHERE ticket_id = ANY($1::uuid[]) AND action = 'note'`,
    [ids, s.marker],
  );
  // A rating's comment and a ticket's order number in the analytics events (their counts stay).
  await tx.query(
    `UPDATE support_analytics SET metadata = metadata - 'comment' - 'order_number'
      WHERE request_id = ANY($1::uuid[]) AND (metadata ? 'comment' OR metadata ? 'order_number')`,
    [ids],
  );
  await tx.query(
    `DELETE FROM dev_mailbox WHERE email_id IN (SELECT id FROM email_queue WHERE request_id = ANY($1::uuid[]))
        OR ($2::text IS NOT NULL AND lower(recipient) = $2)`,
    [ids, s.email],
  );
  const tokens = await tx.query(`DELETE FROM ticket_access_tokens WHERE ticket_id = ANY($1::uuid[])`, [ids]);
  const emails = await tx.query(
    `DELETE FROM email_queue WHERE request_id = ANY($1::uuid[]) OR ($2::text IS NOT NULL AND lower(recipient_email) = $2)`,
    [ids, s.email],
  );
  const inbound = await tx.query(
    `UPDATE inbound_emails SET from_address = $2, email_message_id = 'erased:' || id WHERE request_id = ANY($1::uuid[])`,
    [ids, s.erasedAddress],
  );
  await tx.query(
    `UPDATE bot_turns SET body = $2, detail = NULL WHERE thread_id IN (SELECT id FROM bot_threads WHERE request_id = ANY($1::uuid[]))`,
    [ids, s.marker],
  );
  const threads = await tx.query(`SELECT id FROM bot_threads WHERE request_id = ANY($1::uuid[])`, [ids]);
  await tx.query(
    `UPDATE support_requests
        SET email = $2, message = $3, order_number = NULL, create_retry_box = NULL, opened_from = NULL,
            token_hash = encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')), 'hex'),
            erased_at = now()
      WHERE id = ANY($1::uuid[])`,
    [ids, s.erasedAddress, s.marker],
  );
  return {
    messages: messages.rowCount,
    attachments: attachments.rowCount,
    notes: notes.rowCount,
    emails: emails.rowCount,
    tokens: tokens.rowCount,
    inboundEmails: inbound.rowCount,
    botThreads: threads.rows.length,
  };
}

/** The address's orders keep their items and statuses (the restaurant's records), not the address. */
export async function pseudonymiseOrders(tx: Queryable, email: string, erasedAddress: string): Promise<number> {
  const { rows } = await tx.query<{ id: string }>(
    `UPDATE orders SET email = $2, tracking_token = encode(sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'hex'), updated_at = now()
      WHERE email = $1 RETURNING id`,
    [email, erasedAddress],
  );
  if (rows.length) await tx.query(`UPDATE order_events SET note = NULL WHERE order_id = ANY($1::uuid[])`, [rows.map((r) => r.id)]);
  return rows.length;
}

/** Questions the learning loop noted from these texts (masked as noted), unless an admin taught them to the bot. */
export async function deleteNotedQuestions(tx: Queryable, maskedTexts: string[]): Promise<number> {
  if (maskedTexts.length === 0) return 0;
  const { rowCount } = await tx.query(`DELETE FROM bot_unanswered WHERE status <> 'taught' AND text = ANY($1::text[])`, [maskedTexts]);
  return rowCount;
}

/** Replaces the address in error logs and client metrics (`pattern`: the address as a regular expression). */
export async function scrubLogs(tx: Queryable, pattern: string): Promise<{ errorLogs: number; clientMetrics: number }> {
  const errorLogs = await tx.query(
    `UPDATE error_logs
        SET message = regexp_replace(message, $1, '[erased]', 'gi'),
            stack = regexp_replace(stack, $1, '[erased]', 'gi'),
            context = regexp_replace(context::text, $1, '[erased]', 'gi')::jsonb
      WHERE message ~* $1 OR stack ~* $1 OR context::text ~* $1`,
    [pattern],
  );
  const clientMetrics = await tx.query(
    `UPDATE client_metrics SET metadata = regexp_replace(metadata::text, $1, '[erased]', 'gi')::jsonb WHERE metadata::text ~* $1`,
    [pattern],
  );
  return { errorLogs: errorLogs.rowCount, clientMetrics: clientMetrics.rowCount };
}

export async function deletePrivacyRequestsOf(tx: Queryable, email: string): Promise<void> {
  await tx.query('DELETE FROM privacy_requests WHERE email = $1', [email]);
}

/** The language remembered for the address (user_preferences: keyed by the address as first typed). */
export async function findLanguagePreference(q: Queryable, email: string): Promise<string | null> {
  const { rows } = await q.query<{ language: string }>('SELECT language FROM user_preferences WHERE lower(user_id) = $1 LIMIT 1', [email]);
  return rows[0]?.language ?? null;
}

export async function deleteLanguagePreference(tx: Queryable, email: string): Promise<void> {
  await tx.query('DELETE FROM user_preferences WHERE lower(user_id) = $1', [email]);
}

/** The tables an erasure rewrites: on the embedded database they are compacted afterwards (see compactAfterErasure). */
export const ERASURE_TABLES = [
  'support_requests',
  'support_messages',
  'support_analytics',
  'agent_actions',
  'attachments',
  'attachment_blobs',
  'email_queue',
  'dev_mailbox',
  'ticket_access_tokens',
  'inbound_emails',
  'bot_threads',
  'bot_turns',
  'bot_unanswered',
  'orders',
  'order_events',
  'error_logs',
  'client_metrics',
  'privacy_requests',
  'user_preferences',
] as const;

/** Rewrites the tables without the old row versions, then moves the write-ahead log to new segments and lets checkpoints remove the old ones unrecycled (compact-after-erasure.ts). */
export async function compactTables(db: Db, tables: readonly string[]): Promise<void> {
  await db.exec(`VACUUM FULL ${tables.join(', ')}`);
  await db.exec('SET wal_recycle = off');
  try {
    for (let i = 0; i < 2; i++) {
      await db.query('SELECT pg_switch_wal()');
      await db.exec('CHECKPOINT');
    }
  } finally {
    await db.exec('RESET wal_recycle');
  }
}

// ---------------------------------------------------------------- legal hold

export async function setLegalHold(tx: Queryable, ticketId: string, hold: boolean): Promise<{ email: string } | null> {
  const { rows } = await tx.query<{ email: string }>(`UPDATE support_requests SET legal_hold = $2 WHERE id = $1 RETURNING email`, [ticketId, hold]);
  return rows[0] ?? null;
}

export async function findTicketAddress(q: Queryable, ticketId: string): Promise<string | null> {
  const { rows } = await q.query<{ email: string }>('SELECT email FROM support_requests WHERE id = $1', [ticketId]);
  return rows[0]?.email ?? null;
}

// ---------------------------------------------------------------- customers' requests

export async function insertPrivacyRequest(
  tx: Queryable,
  r: { kind: string; email: string; lang: string; ttlHours: number },
): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO privacy_requests (kind, email, lang, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4)) RETURNING id`,
    [r.kind, r.email, r.lang, r.ttlHours],
  );
  return rows[0]!.id;
}

/** E-mails queued to the address in the last hour (any kind): the cap that keeps the form from flooding an inbox. */
export async function countRecentEmailsTo(tx: Queryable, email: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM email_queue WHERE lower(recipient_email) = $1 AND created_at > now() - interval '1 hour'`,
    [email],
  );
  return rows[0]!.n;
}

/** Serialises the requests for one address until the caller's transaction ends. */
export async function lockAddress(tx: Queryable, email: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`privacy:${email}`]);
}

/** Queues the confirmation e-mail in the outbox (events/email-outbox.ts's table), and wakes the workers at commit. */
export async function enqueuePrivacyEmail(tx: Queryable, e: { privacyRequestId: string; type: string; recipient: string; lang: string }): Promise<void> {
  await tx.query(
    `INSERT INTO email_queue (privacy_request_id, email_type, recipient_email, lang) VALUES ($1, $2, $3, $4)`,
    [e.privacyRequestId, e.type, e.recipient, e.lang],
  );
  await tx.query(`SELECT pg_notify(${EMAIL_CHANNEL_SQL}, '')`);
}

/** Sets the link token of each request (its hash); the link is valid for `ttlHours` from now. */
export async function setRequestTokens(tx: Queryable, tokens: { id: string; tokenHash: string }[], ttlHours: number): Promise<void> {
  for (const t of tokens) {
    await tx.query(`UPDATE privacy_requests SET token_hash = $2, expires_at = now() + make_interval(hours => $3) WHERE id = $1`, [
      t.id,
      t.tokenHash,
      ttlHours,
    ]);
  }
}

export type PrivacyRequestRow = { id: string; kind: 'export' | 'erase'; email: string; lang: Lang; expires_at: Date; completed_at: Date | null };

export async function findRequestByTokenHash(q: Queryable, tokenHash: string): Promise<PrivacyRequestRow | null> {
  const { rows } = await q.query<PrivacyRequestRow>(
    `SELECT id, kind, email, lang, expires_at, completed_at FROM privacy_requests WHERE token_hash = $1 AND expires_at > now()`,
    [tokenHash],
  );
  return rows[0] ?? null;
}

export async function markRequestCompleted(q: Queryable, id: string): Promise<void> {
  await q.query('UPDATE privacy_requests SET completed_at = now() WHERE id = $1', [id]);
}

// ---------------------------------------------------------------- the access record

export type AccessRecordInsert = {
  actor: 'agent' | 'customer' | 'retention';
  agentId?: string | null;
  agentEmail?: string | null;
  action: 'view' | 'export' | 'erase' | 'legal_hold' | 'request';
  subject: string;
  ticketId?: string | null;
  details?: Record<string, unknown>;
};

export async function insertAccessRecord(q: Queryable, r: AccessRecordInsert): Promise<void> {
  await q.query(
    `INSERT INTO privacy_access_log (actor, agent_id, agent_email, action, subject, ticket_id, details) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [r.actor, r.agentId ?? null, r.agentEmail ?? null, r.action, r.subject, r.ticketId ?? null, JSON.stringify(r.details ?? {})],
  );
}

/**
 * Whether the agent's view of the ticket is already recorded within `minutes`, holding (until the caller's
 * transaction ends) the lock that makes two simultaneous views write one line.
 */
export async function hasRecentView(tx: Queryable, v: { agentId: string; ticketId: string; minutes: number }): Promise<boolean> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`privacy-view:${v.agentId}:${v.ticketId}`]);
  const { rows } = await tx.query<{ seen: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM privacy_access_log WHERE ticket_id = $1 AND agent_id = $2 AND action = 'view'
                     AND at > now() - make_interval(mins => $3)) AS seen`,
    [v.ticketId, v.agentId, v.minutes],
  );
  return rows[0]!.seen;
}

export type AccessRecordRow = {
  id: string | number;
  at: Date;
  actor: 'agent' | 'customer' | 'retention';
  agent_id: string | null;
  agent_email: string | null;
  action: 'view' | 'export' | 'erase' | 'legal_hold' | 'request';
  subject: string;
  ticket_id: string | null;
  details: unknown;
};

export async function listAccessRecord(q: Queryable, f: { subject: string | null; limit: number }): Promise<AccessRecordRow[]> {
  const { rows } = await q.query<AccessRecordRow>(
    `SELECT id, at, actor, agent_id, agent_email, action, subject, ticket_id, details FROM privacy_access_log
      WHERE $1::text IS NULL OR subject = $1 ORDER BY at DESC, id DESC LIMIT $2`,
    [f.subject, f.limit],
  );
  return rows;
}

// ---------------------------------------------------------------- retention

/** Resolved or closed tickets untouched since `before`, not erased yet, not under legal hold. */
export async function listTicketsPastRetention(q: Queryable, before: Date, limit: number): Promise<{ id: string; email: string }[]> {
  const { rows } = await q.query<{ id: string; email: string }>(
    `SELECT id, email FROM support_requests
      WHERE erased_at IS NULL AND status IN ('resolved', 'closed') AND updated_at < $1 AND NOT legal_hold
      ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [before, limit],
  );
  return rows;
}

/** E-mails that left or were given up before `before`, with their dev mailbox copies; how many outbox rows went. */
export async function deleteDoneEmailsBefore(q: Queryable, before: Date, limit: number): Promise<number> {
  const { rows } = await q.query<{ id: string }>(
    `WITH gone AS (
       DELETE FROM email_queue WHERE id IN (
         SELECT id FROM email_queue WHERE status <> 'pending' AND created_at < $1 ORDER BY created_at LIMIT $2)
       RETURNING id)
     SELECT id FROM gone`,
    [before, limit],
  );
  return rows.length;
}

export async function deleteDevMailBefore(q: Queryable, before: Date, limit: number): Promise<number> {
  const { rowCount } = await q.query(
    `DELETE FROM dev_mailbox WHERE id IN (SELECT id FROM dev_mailbox WHERE created_at < $1 ORDER BY created_at LIMIT $2)`,
    [before, limit],
  );
  return rowCount;
}

export async function deleteAccessRecordBefore(q: Queryable, before: Date, limit: number): Promise<number> {
  const { rowCount } = await q.query(
    `DELETE FROM privacy_access_log WHERE id IN (SELECT id FROM privacy_access_log WHERE at < $1 ORDER BY at LIMIT $2)`,
    [before, limit],
  );
  return rowCount;
}

export async function deleteExpiredRequests(q: Queryable, now: Date, limit: number): Promise<number> {
  const { rowCount } = await q.query(
    `DELETE FROM privacy_requests WHERE id IN (SELECT id FROM privacy_requests WHERE expires_at < $1 ORDER BY expires_at LIMIT $2)`,
    [now, limit],
  );
  return rowCount;
}
