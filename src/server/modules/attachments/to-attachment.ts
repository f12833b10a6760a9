import type { Attachment } from '../../../contracts/attachments.ts';
import type { AttachmentRow } from './attachments.repo.ts';

/** An attachment as the API shows it: width and height for images only. */
export function toAttachment(row: AttachmentRow): Attachment {
  return {
    id: row.id,
    name: row.name,
    mime: row.mime,
    size: row.size,
    ...(row.width !== null && row.height !== null ? { width: row.width, height: row.height } : {}),
  };
}
