import type { Db } from '../../db/index.ts';
import { AppError } from '../../http/app-error.ts';
import type { AttachmentStore } from './attachment-store.ts';
import { findAttachmentById, type AttachmentRow } from './attachments.repo.ts';
import type { TicketAccess } from './ticket-access.ts';

export type Reader = { side: 'user'; token: string } | { side: 'agent' };

/**
 * The bytes of an attachment (or of its thumbnail) for someone allowed to see it:
 * - an agent with a session: any attachment;
 * - a ticket's token: that ticket's customer uploads, and the agents' uploads once a message carries
 *   them (an agent's upload not sent yet is the agents' only). Anything else, an unknown id and another
 *   ticket's attachment alike, is the same 404.
 */
export async function readAttachment(options: {
  db: Db;
  store: AttachmentStore;
  tickets: TicketAccess;
  attachmentId: string;
  reader: Reader;
  thumb: boolean;
}): Promise<{ row: AttachmentRow; bytes: Buffer; mime: string }> {
  const { db, store, tickets, reader } = options;
  const row = await findAttachmentById(db, options.attachmentId);
  if (reader.side === 'user') {
    // Same work and same answer for an unknown id and another ticket's: the token is checked either way.
    const ticket = await tickets.authorizeTicket(db, row?.request_id ?? options.attachmentId, reader.token).catch(() => null);
    if (!row || !ticket || (row.uploaded_by !== 'user' && row.message_id === null)) {
      throw new AppError('not_found', { reason: 'attachment_not_found', lang: ticket?.lang });
    }
  }
  if (!row) throw new AppError('not_found', { reason: 'attachment_not_found' });
  const mime = options.thumb ? row.thumb_mime : row.mime;
  const bytes = mime ? await (row.storage === store.kind ? store.get(db, row.id, options.thumb ? 'thumb' : 'original') : null) : null;
  if (!mime || !bytes) throw new AppError('not_found', { reason: 'attachment_not_found' });
  return { row, bytes, mime };
}
