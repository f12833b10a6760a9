import { LIMITS } from '../../../contracts/tickets.ts';
import type { Queryable } from '../../db/index.ts';
import { BUS_EVENTS, type BusEvent } from '../../events/bus.ts';
import { attachToMessage } from '../attachments/index.ts';
import { publishMessageCreated } from './append-message.ts';
import { sendCustomerMessageOnce, type MessageRow } from './messages.repo.ts';
import { secondsUntilOutOfWindow } from './outcomes.ts';
import { findTicketById } from './tickets.repo.ts';

const HOUR_SECONDS = 60 * 60;

export type EmailedMessageOutcome =
  | { outcome: 'not_found' }
  | { outcome: 'closed' }
  | { outcome: 'message_limit'; retryAfterSeconds: number }
  | { outcome: 'existing' | 'created'; message: MessageRow };

/**
 * A customer's message that came by e-mail (modules/inbound-email), inside the caller's transaction so
 * that the e-mail's own record is written with it. The e-mail was matched to this ticket by a signed
 * reply address or by our Message-ID, which stands for the customer's token; everything else is the
 * widget's send, in the same statement (tf_send_customer_message): the ticket's row lock, the clientId
 * of a second delivery answered with the stored message, a closed ticket refused, the hourly limit, a
 * resolved or pending ticket handed back to the agents (ticket.updated), message.created after commit;
 * the e-mail's files (uploaded beforehand, attachments module) are linked to the message in the same transaction.
 * Refusals write nothing.
 */
export async function sendEmailedCustomerMessage(
  tx: Queryable,
  m: { ticketId: string; body: string; clientId: string; attachmentIds?: readonly string[] },
): Promise<EmailedMessageOutcome> {
  const ticket = await findTicketById(tx, m.ticketId);
  if (!ticket) return { outcome: 'not_found' };
  const reopened: BusEvent = { type: BUS_EVENTS.ticketUpdated, ticketId: m.ticketId };
  const result = await sendCustomerMessageOnce(tx, {
    ticketId: m.ticketId,
    tokenHash: ticket.token_hash,
    body: m.body,
    clientId: m.clientId,
    limit: LIMITS.messagesPerTicketPerHour,
    windowSeconds: HOUR_SECONDS,
    reopenEvent: JSON.stringify(reopened),
  });
  switch (result.outcome) {
    case 'not_found':
      return { outcome: 'not_found' };
    case 'closed':
    // Routing already led a reply to a merged ticket to the kept one (receive-email.ts): only a merge
    // between the routing and this statement gets here.
    case 'merged':
      return { outcome: 'closed' };
    case 'rate_limited':
      return { outcome: 'message_limit', retryAfterSeconds: secondsUntilOutOfWindow(result.oldestRecent, HOUR_SECONDS) };
    case 'existing':
      return { outcome: 'existing', message: result.message };
    case 'created':
      await attachToMessage(tx, { ticketId: m.ticketId, side: 'user', messageId: result.message.id, attachmentIds: m.attachmentIds ?? [], lang: ticket.lang });
      publishMessageCreated(tx, result.message);
      return { outcome: 'created', message: result.message };
  }
}
