import type { AuthorType, Message, MessagePage } from '../../../contracts/tickets.ts';
import { LIMITS } from '../../../contracts/tickets.ts';
import type { Db, Queryable } from '../../db/index.ts';
import { AppError } from '../../http/app-error.ts';
import { BUS_EVENTS, publishAfterCommit, type BusEvent } from '../../events/bus.ts';
import { hashTicketToken } from '../tickets/ticket-token.ts';
import { authorizeTicket, secondsUntilOutOfWindow } from '../tickets/tickets.service.ts';
import { lockTicket, type TicketRow } from '../tickets/tickets.repo.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { findMessageByClientId, insertMessage, listMessagesBefore, sendCustomerMessageOnce, toMessage, type MessageRow } from './messages.repo.ts';

const HOUR_SECONDS = 60 * 60;

/**
 * Appends a message to a ticket inside the caller's transaction: locks the ticket, answers a known
 * clientId with the stored message, then writes the message and its `message_sent` analytics row; its
 * bus event `message.created` is published once the caller's transaction commits (publishAfterCommit:
 * outside the commit, coalesced, not awaited). A customer's send does not come here: it is one
 * statement (sendCustomerMessage).
 */
export async function appendMessage(
  tx: Queryable,
  m: {
    ticketId: string;
    authorType: AuthorType;
    body: string;
    clientId?: string | null;
    agentId?: string | null;
  },
): Promise<{ ticket: TicketRow; message: MessageRow; created: boolean }> {
  const ticket = await lockTicket(tx, m.ticketId);
  if (!ticket) throw new AppError('not_found', { reason: 'ticket_not_found' });
  const existing = m.clientId ? await findMessageByClientId(tx, m.ticketId, m.clientId) : null;
  if (existing) return { ticket, message: existing, created: false };
  const message = await insertMessage(tx, {
    requestId: m.ticketId,
    authorType: m.authorType,
    body: m.body,
    clientId: m.clientId ?? null,
    agentId: m.agentId ?? null,
  });
  publishAfterCommit(tx, { type: BUS_EVENTS.messageCreated, ticketId: message.request_id, messageId: message.id, seq: message.seq });
  return { ticket, message, created: true };
}

/**
 * A customer's message, stored once per clientId: a retry answers with the stored message. The token,
 * the ticket's state, the hourly limit and the clientId are all checked under the ticket's row lock, in
 * the one statement that writes (tf_send_customer_message, migration 0009: one round trip, committed on
 * its own), so parallel sends can neither overshoot the limit nor store a retry twice. `message.created`
 * is published once that statement has returned, i.e. committed (coalesced, not awaited).
 */
export async function sendCustomerMessage(options: {
  db: Db;
  ticketId: string;
  token: string | null;
  body: string;
  clientId: string;
}): Promise<{ message: Message; created: boolean }> {
  const { db, token } = options;
  if (!token) throw new AppError('unauthorized', { reason: 'token_required' });
  const reopened: BusEvent = { type: BUS_EVENTS.ticketUpdated, ticketId: options.ticketId };
  const result = await sendCustomerMessageOnce(db, {
    ticketId: options.ticketId,
    tokenHash: hashTicketToken(token),
    body: options.body,
    clientId: options.clientId,
    limit: LIMITS.messagesPerTicketPerHour,
    windowSeconds: HOUR_SECONDS,
    reopenEvent: JSON.stringify(reopened),
  });
  switch (result.outcome) {
    case 'not_found':
      throw new AppError('not_found', { reason: 'ticket_not_found' });
    case 'closed':
      throw new AppError('conflict', { reason: 'ticket_closed', lang: result.lang });
    case 'rate_limited':
      throw new AppError('rate_limited', {
        reason: 'message_limit',
        lang: result.lang,
        retryAfterSeconds: secondsUntilOutOfWindow(result.oldestRecent, HOUR_SECONDS),
      });
    case 'existing':
      return { message: toMessage(result.message), created: false };
    case 'created': {
      const { message } = result;
      // `db` is no transaction: the statement has committed, so this publishes at once.
      publishAfterCommit(db, { type: BUS_EVENTS.messageCreated, ticketId: message.request_id, messageId: message.id, seq: message.seq });
      return { message: toMessage(message), created: true };
    }
  }
}

/** One page of a conversation: the newest first; `nextCursor` fetches the page before it. */
export async function listMessages(options: {
  db: Db;
  ticketId: string;
  token: string | null;
  limit: number;
  cursor?: string;
}): Promise<MessagePage & { ticket: TicketRow }> {
  const ticket = await authorizeTicket(options.db, options.ticketId, options.token);
  const beforeSeq = options.cursor ? decodeCursor(options.cursor) : null;
  const rows = await listMessagesBefore(options.db, options.ticketId, beforeSeq, options.limit + 1);
  const hasMore = rows.length > options.limit;
  const page = rows.slice(0, options.limit).reverse();
  return {
    ticket,
    messages: page.map((row) => toMessage(row)),
    hasMore,
    nextCursor: hasMore && page[0] ? encodeCursor(page[0].seq) : null,
  };
}
