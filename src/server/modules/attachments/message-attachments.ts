import type { Attachment } from '../../../contracts/attachments.ts';
import type { Lang } from '../../../contracts/common.ts';
import type { Queryable } from '../../db/index.ts';
import { AppError } from '../../http/app-error.ts';
import { linkAttachments, listAttachmentsOfMessages, type AttachmentRow } from './attachments.repo.ts';
import { toAttachment } from './to-attachment.ts';

/**
 * Links uploads to the message being written, inside its transaction (after the message's insert):
 * each id must be an upload of the same side on the same ticket that no message carries yet; otherwise
 * nothing is linked and the message is not stored either (400 `attachment_unknown`; the caller's
 * transaction rolls back). Returns the attachments as the message shows them.
 */
export async function attachToMessage(
  tx: Queryable,
  m: { ticketId: string; side: 'user' | 'agent'; messageId: string; attachmentIds: readonly string[]; lang?: Lang },
): Promise<Attachment[]> {
  if (m.attachmentIds.length === 0) return [];
  const rows = await linkAttachments(tx, { requestId: m.ticketId, uploadedBy: m.side, messageId: m.messageId, ids: m.attachmentIds });
  if (rows.length !== m.attachmentIds.length) {
    const linked = new Set(rows.map((r) => r.id));
    throw new AppError('invalid_request', {
      reason: 'attachment_unknown',
      lang: m.lang,
      details: { attachmentIds: m.attachmentIds.filter((id) => !linked.has(id)) },
    });
  }
  return rows.sort(byUploadOrder).map(toAttachment);
}

/** The attachments of each of these messages (an empty list for a message without any). */
export async function attachmentsByMessage(q: Queryable, messageIds: readonly string[]): Promise<Map<string, Attachment[]>> {
  const byMessage = new Map<string, Attachment[]>(messageIds.map((id) => [id, []]));
  for (const row of await listAttachmentsOfMessages(q, messageIds)) byMessage.get(row.message_id!)?.push(toAttachment(row));
  return byMessage;
}

/** The order in which a message shows its attachments, as listAttachmentsOfMessages returns them. */
function byUploadOrder(a: AttachmentRow, b: AttachmentRow): number {
  return a.created_at.getTime() - b.created_at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
