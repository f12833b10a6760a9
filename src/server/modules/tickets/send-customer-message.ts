import type { Message } from '../../../contracts/tickets.ts';
import { LIMITS } from '../../../contracts/tickets.ts';
import type { Db, Queryable } from '../../db/index.ts';
import { BUS_EVENTS, type BusEvent } from '../../events/bus.ts';
import { attachmentsByMessage, attachToMessage } from '../attachments/index.ts';
import { answerWhileWaiting } from '../chat/index.ts';
import { appendMessage, publishMessageCreated } from './append-message.ts';
import { sendCustomerMessageOnce, toMessage, type SentToTicket } from './messages.repo.ts';
import { refusal, secondsUntilOutOfWindow } from './outcomes.ts';
import { hashTicketToken } from './ticket-token.ts';
import { findTicketById, lockTicket } from './tickets.repo.ts';

const HOUR_SECONDS = 60 * 60;

/**
 * POST /api/tickets/:id/messages: a customer's message, stored once per clientId (a retry answers with
 * the stored message). The token, the ticket's state, the hourly limit and the clientId are all checked
 * under the ticket's row lock, in the one statement that writes (tf_send_customer_message,
 * migrations/functions/send-customer-message.sql: one round trip, committed on its own), so parallel
 * sends can neither overshoot the limit nor store a retry twice. `message.created` is published once that
 * statement has returned, i.e. committed (coalesced, not awaited).
 */
export async function sendCustomerMessage(options: {
  db: Db;
  ticketId: string;
  token: string | null;
  body: string;
  clientId: string;
  /** Uploads of this ticket's customer that the message carries: linked in the same transaction. */
  attachmentIds?: readonly string[];
}): Promise<{ message: Message; created: boolean }> {
  const { db, token } = options;
  if (!token) throw refusal({ outcome: 'token_required' });
  // With files, the send and their linking commit together (a refused file id stores no message);
  // without, the send stays the one statement that commits on its own.
  const attachmentIds = options.attachmentIds ?? [];
  const { ticket, ...sent } = attachmentIds.length
    ? await db.transaction((tx) => sendOnce(tx, token, attachmentIds, options))
    : await sendOnce(db, token, [], options);
  // Opened from the chat thread (the send's statement said so) and no person on it yet: the bot answers
  // what it can, after the question (a retry asks again and finds the answer stored: docs/chatbot.md,
  // "While waiting for a person").
  await answerWhileWaiting({ db, ticketId: options.ticketId, ticket, message: sent.message, tickets: { lockTicket, appendMessage } });
  return sent;
}

async function sendOnce(
  q: Queryable,
  token: string,
  attachmentIds: readonly string[],
  options: { ticketId: string; body: string; clientId: string },
): Promise<{ message: Message; created: boolean; ticket: SentToTicket }> {
  const reopened: BusEvent = { type: BUS_EVENTS.ticketUpdated, ticketId: options.ticketId };
  const result = await sendCustomerMessageOnce(q, {
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
      throw refusal({ outcome: 'not_found' });
    case 'closed':
      throw refusal({ outcome: 'closed', lang: result.lang });
    case 'merged': {
      // The refusal names the kept ticket (this ticket's token opens it: the widget follows there).
      const into = (await findTicketById(q, options.ticketId))?.merged_into;
      throw into ? refusal({ outcome: 'merged', into, lang: result.lang }) : refusal({ outcome: 'closed', lang: result.lang });
    }
    case 'rate_limited':
      throw refusal({
        outcome: 'message_limit',
        lang: result.lang,
        retryAfterSeconds: secondsUntilOutOfWindow(result.oldestRecent, HOUR_SECONDS),
      });
    case 'existing': {
      // A retry repeats its request: without files it stays one statement (the stored message has none).
      const files = attachmentIds.length ? await attachmentsByMessage(q, [result.message.id]) : null;
      return { message: { ...toMessage(result.message), attachments: files?.get(result.message.id) ?? [] }, created: false, ticket: result.ticket };
    }
    case 'created': {
      const { message } = result;
      const attachments = await attachToMessage(q, { ticketId: message.request_id, side: 'user', messageId: message.id, attachmentIds });
      // Without files `q` is the Db itself: the statement has committed, so this publishes at once;
      // with files, once the transaction has. The files are all the message will ever carry: the event
      // says how many, and this process's hub gets the row with it (no read back).
      publishMessageCreated(q, message, attachments);
      return { message: { ...toMessage(message), attachments }, created: true, ticket: result.ticket };
    }
  }
}
