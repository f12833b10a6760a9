import type { AgentMessage } from '../../../contracts/agents.ts';
import type { AuthorType, Message } from '../../../contracts/tickets.ts';
import type { Lang } from '../../../contracts/common.ts';
import type { Queryable } from '../../db/index.ts';
import { iso } from '../../db/rows.ts';

export type MessageRow = {
  id: string;
  request_id: string;
  author_type: AuthorType;
  body: string;
  client_id: string | null;
  seq: number;
  agent_id: string | null;
  created_at: Date;
};

/**
 * Who reads a message: the ticket's customer (a token holder) or the staff (agents). A message's
 * `client_id` is shown only to the side that wrote it (the widget matches its pending sends with it,
 * an agent's resend its reply); the other side sees null, so the customer's request ids never leave
 * the customer's side, and agents' never reach the customer.
 */
export type MessageReader = 'customer' | 'agent';

const AUTHORS_OF: Record<MessageReader, readonly AuthorType[]> = { customer: ['user'], agent: ['agent'] };

/** A message as `reader` sees it (the customer's view unless told otherwise). */
export function toMessage(row: MessageRow, reader: MessageReader = 'customer'): Message {
  return {
    id: row.id,
    request_id: row.request_id,
    author_type: row.author_type,
    body: row.body,
    client_id: AUTHORS_OF[reader].includes(row.author_type) ? row.client_id : null,
    seq: row.seq,
    created_at: iso(row.created_at),
  };
}

/** A message as the staff see it: the agent's view, plus which agent wrote it. */
export function toAgentMessage(row: MessageRow): AgentMessage {
  return { ...toMessage(row, 'agent'), agent_id: row.agent_id };
}

/**
 * Inserts the ticket's next message and its `message_sent` analytics row, in one statement:
 * tf_append_message (migrations/functions/append-message.sql), the one text of that rule for every
 * author. The caller holds the ticket's row lock (lockTicket), so `seq` follows commit order and has no
 * ties or gaps. No bus event here: the caller publishes `message.created` after commit (appendMessage).
 */
export async function insertMessage(
  tx: Queryable,
  m: { requestId: string; authorType: AuthorType; body: string; clientId: string | null; agentId?: string | null },
): Promise<MessageRow> {
  const { rows } = await tx.query<MessageRow>(
    'SELECT * FROM tf_append_message($1::uuid, $2::text, $3::text, $4::uuid, $5::uuid)',
    [m.requestId, m.authorType, m.body, m.clientId, m.agentId ?? null],
  );
  return rows[0]!;
}

export type CustomerSendOutcome =
  | { outcome: 'not_found' }
  | { outcome: 'closed'; lang: Lang }
  /** Merged into another ticket (its merged_into, which the caller reads: a refusal's rare path). */
  | { outcome: 'merged'; lang: Lang }
  | { outcome: 'rate_limited'; lang: Lang; oldestRecent: Date | null }
  | { outcome: 'existing' | 'created'; message: MessageRow; ticket: SentToTicket };

/** What the send's statement says of the ticket it wrote in, for what follows the send (the bot's answer while it waits). */
export type SentToTicket = { lang: Lang; openedFromThread: boolean };

/**
 * A customer's send in one statement, outside any transaction (it commits on its own): the function of
 * migrations/functions/send-customer-message.sql locks the ticket, checks the token's hash (the ticket's or an e-mail
 * link's), answers a known clientId with the stored message, refuses a closed ticket or a full hourly
 * window, else takes the next seq and inserts the message and its analytics row, and hands a pending or
 * resolved ticket back to the agents (sending `reopenEvent` with NOTIFY at commit). With the message, it
 * gives the ticket's language and whether it was opened from a bot thread (`opened_from_thread`).
 */
export async function sendCustomerMessageOnce(
  db: Queryable,
  m: {
    ticketId: string;
    tokenHash: string;
    body: string;
    clientId: string;
    limit: number;
    windowSeconds: number;
    reopenEvent: string;
  },
): Promise<CustomerSendOutcome> {
  const { rows } = await db.query<
    MessageRow & {
      outcome: CustomerSendOutcome['outcome'];
      lang: Lang | null;
      from_thread: boolean | null;
      recent_count: number | null;
      oldest_recent: Date | null;
    }
  >(
    `SELECT s.send_outcome AS outcome, s.send_lang AS lang, s.send_from_thread AS from_thread,
            s.send_recent_count AS recent_count, s.send_oldest_recent AS oldest_recent, (s.sent_message).*
       FROM tf_send_customer_message($1::uuid, $2::text, $3::text, $4::uuid, $5::int, $6::int, $7::text) s`,
    [m.ticketId, m.tokenHash, m.body, m.clientId, m.limit, m.windowSeconds, m.reopenEvent],
  );
  const { outcome, lang, from_thread, recent_count, oldest_recent, ...message } = rows[0]!;
  switch (outcome) {
    case 'not_found':
      return { outcome };
    case 'closed':
    case 'merged':
      return { outcome, lang: lang! };
    case 'rate_limited':
      return { outcome, lang: lang!, oldestRecent: oldest_recent };
    case 'existing':
    case 'created':
      return { outcome, message, ticket: { lang: lang!, openedFromThread: from_thread! } };
    default:
      throw new Error(`tf_send_customer_message: unknown outcome ${String(outcome)}`);
  }
}

/** The message stored on this ticket under this clientId (a resend), or null. */
export async function findMessageByClientId(q: Queryable, requestId: string, clientId: string): Promise<MessageRow | null> {
  const { rows } = await q.query<MessageRow>('SELECT * FROM support_messages WHERE request_id = $1 AND client_id = $2', [requestId, clientId]);
  return rows[0] ?? null;
}

export async function findMessageById(q: Queryable, id: string): Promise<MessageRow | null> {
  const { rows } = await q.query<MessageRow>('SELECT * FROM support_messages WHERE id = $1', [id]);
  return rows[0] ?? null;
}

/** Up to `limit` messages with seq below `beforeSeq` (all when null), newest first. */
export async function listMessagesBefore(
  q: Queryable,
  requestId: string,
  beforeSeq: number | null,
  limit: number,
): Promise<MessageRow[]> {
  const { rows } = await q.query<MessageRow>(
    `SELECT * FROM support_messages
      WHERE request_id = $1 AND ($2::int IS NULL OR seq < $2::int)
      ORDER BY seq DESC
      LIMIT $3`,
    [requestId, beforeSeq, limit],
  );
  return rows;
}

/** Every message with seq above `afterSeq`, oldest first (resuming a conversation). */
export async function listMessagesAfter(
  q: Queryable,
  requestId: string,
  afterSeq: number,
  limit: number,
): Promise<MessageRow[]> {
  const { rows } = await q.query<MessageRow>(
    `SELECT * FROM support_messages WHERE request_id = $1 AND seq > $2 ORDER BY seq ASC LIMIT $3`,
    [requestId, afterSeq, limit],
  );
  return rows;
}

/** The seq of a message of this ticket, or null. */
export async function findMessageSeq(q: Queryable, ticketId: string, messageId: string): Promise<number | null> {
  const { rows } = await q.query<{ seq: number }>('SELECT seq FROM support_messages WHERE id = $1 AND request_id = $2', [
    messageId,
    ticketId,
  ]);
  return rows[0]?.seq ?? null;
}

/** The customer's latest messages on a ticket, oldest first: what suggested replies answer. */
export async function listRecentCustomerMessages(q: Queryable, ticketId: string, limit: number): Promise<string[]> {
  const { rows } = await q.query<{ body: string }>(
    `SELECT body FROM (
       SELECT body, seq FROM support_messages
        WHERE request_id = $1 AND author_type = 'user'
        ORDER BY seq DESC LIMIT $2
     ) recent ORDER BY seq`,
    [ticketId, limit],
  );
  return rows.map((r) => r.body);
}
