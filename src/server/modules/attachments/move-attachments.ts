import type { Queryable } from '../../db/index.ts';
import { moveAttachmentRows } from './attachments.repo.ts';

/**
 * A merge of tickets (modules/tickets/merge-tickets.ts): every attachment of `fromTicketId`, sent or
 * not, now belongs to `toTicketId`, inside the caller's transaction, so the kept ticket's tokens (and the
 * merged ticket's, which open it too) read them. Returns how many moved.
 */
export async function moveTicketAttachments(tx: Queryable, fromTicketId: string, toTicketId: string): Promise<number> {
  return moveAttachmentRows(tx, fromTicketId, toTicketId);
}
