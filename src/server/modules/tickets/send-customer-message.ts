import type { Message } from '../../../contracts/tickets.ts';
import { LIMITS } from '../../../contracts/tickets.ts';
import type { Db } from '../../db/index.ts';
import { BUS_EVENTS, type BusEvent } from '../../events/bus.ts';
import { publishMessageCreated } from './append-message.ts';
import { sendCustomerMessageOnce, toMessage } from './messages.repo.ts';
import { refusal, secondsUntilOutOfWindow } from './outcomes.ts';
import { hashTicketToken } from './ticket-token.ts';

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
}): Promise<{ message: Message; created: boolean }> {
  const { db, token } = options;
  if (!token) throw refusal({ outcome: 'token_required' });
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
      throw refusal({ outcome: 'not_found' });
    case 'closed':
      throw refusal({ outcome: 'closed', lang: result.lang });
    case 'rate_limited':
      throw refusal({
        outcome: 'message_limit',
        lang: result.lang,
        retryAfterSeconds: secondsUntilOutOfWindow(result.oldestRecent, HOUR_SECONDS),
      });
    case 'existing':
      return { message: toMessage(result.message), created: false };
    case 'created':
      // `db` is no transaction: the statement has committed, so this publishes at once.
      publishMessageCreated(db, result.message);
      return { message: toMessage(result.message), created: true };
  }
}
