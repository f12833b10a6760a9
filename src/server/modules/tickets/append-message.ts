import type { Attachment } from '../../../contracts/attachments.ts';
import type { AuthorType } from '../../../contracts/tickets.ts';
import type { Queryable } from '../../db/index.ts';
import { BUS_EVENTS, publishAfterCommit } from '../../events/bus.ts';
import { findMessageByClientId, insertMessage, type MessageRow } from './messages.repo.ts';
import { refusal } from './outcomes.ts';
import { lockTicket, type TicketRow } from './tickets.repo.ts';

/**
 * Appends a message to a ticket inside the caller's transaction, for any author: locks the ticket,
 * refuses a ticket merged into another (409), answers a known clientId with the stored message, then writes the message and its `message_sent`
 * analytics row (tf_append_message); its bus event `message.created` is published once the caller's
 * transaction commits (publishAfterCommit: outside the commit, coalesced, not awaited). A customer's
 * send over HTTP does not come here: it is one statement (send-customer-message.ts), whose function
 * appends through the same tf_append_message.
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
  if (!ticket) throw refusal({ outcome: 'not_found' });
  // Its conversation moved to the kept ticket with the merge: nothing more is written here.
  if (ticket.merged_into) throw refusal({ outcome: 'merged', into: ticket.merged_into });
  const existing = m.clientId ? await findMessageByClientId(tx, m.ticketId, m.clientId) : null;
  if (existing) return { ticket, message: existing, created: false };
  const message = await insertMessage(tx, {
    requestId: m.ticketId,
    authorType: m.authorType,
    body: m.body,
    clientId: m.clientId ?? null,
    agentId: m.agentId ?? null,
  });
  publishMessageCreated(tx, message);
  return { ticket, message, created: true };
}

/**
 * `message.created` once `q`'s transaction has committed (at once when `q` is the Db itself). With
 * `attachments` (the files the message carries, all of them: nothing can link more once it committed),
 * the event says how many, and this process's hub gets the row and files with it (no read back).
 */
export function publishMessageCreated(q: Queryable, message: MessageRow, attachments?: readonly Attachment[]): void {
  const event = { type: BUS_EVENTS.messageCreated, ticketId: message.request_id, messageId: message.id, seq: message.seq } as const;
  if (!attachments) return publishAfterCommit(q, event);
  publishAfterCommit(q, { ...event, attachments: attachments.length }, { row: message, attachments });
}
