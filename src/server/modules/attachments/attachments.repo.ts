import type { Queryable } from '../../db/index.ts';
import type { AttachmentMime } from '../../../contracts/attachments.ts';
import type { AttachmentVariant } from './attachment-store.ts';

export type AttachmentRow = {
  id: string;
  request_id: string;
  message_id: string | null;
  uploaded_by: 'user' | 'agent';
  agent_id: string | null;
  client_id: string | null;
  name: string;
  mime: AttachmentMime;
  size: number;
  width: number | null;
  height: number | null;
  thumb_mime: string | null;
  storage: 'pg' | 's3';
  created_at: Date;
};

export async function insertAttachment(
  tx: Queryable,
  a: Pick<AttachmentRow, 'request_id' | 'uploaded_by' | 'agent_id' | 'client_id' | 'name' | 'mime' | 'size' | 'width' | 'height' | 'thumb_mime' | 'storage'>,
): Promise<AttachmentRow> {
  const { rows } = await tx.query<AttachmentRow>(
    `INSERT INTO attachments (request_id, uploaded_by, agent_id, client_id, name, mime, size, width, height, thumb_mime, storage)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
    [a.request_id, a.uploaded_by, a.agent_id, a.client_id, a.name, a.mime, a.size, a.width, a.height, a.thumb_mime, a.storage],
  );
  return rows[0]!;
}

export async function findAttachmentById(q: Queryable, id: string): Promise<AttachmentRow | null> {
  const { rows } = await q.query<AttachmentRow>('SELECT * FROM attachments WHERE id = $1', [id]);
  return rows[0] ?? null;
}

/** The upload stored on this ticket by this side under this clientId (a retry), or null. */
export async function findAttachmentByClientId(
  q: Queryable,
  requestId: string,
  uploadedBy: AttachmentRow['uploaded_by'],
  clientId: string,
): Promise<AttachmentRow | null> {
  const { rows } = await q.query<AttachmentRow>(
    'SELECT * FROM attachments WHERE request_id = $1 AND uploaded_by = $2 AND client_id = $3',
    [requestId, uploadedBy, clientId],
  );
  return rows[0] ?? null;
}

/** How many files and bytes a ticket holds (its quota). */
export async function ticketUsage(q: Queryable, requestId: string): Promise<{ files: number; bytes: number }> {
  const { rows } = await q.query<{ files: number; bytes: string | null }>(
    'SELECT count(*)::int AS files, sum(size)::text AS bytes FROM attachments WHERE request_id = $1',
    [requestId],
  );
  return { files: rows[0]!.files, bytes: Number(rows[0]!.bytes ?? 0) };
}

/**
 * Links uploads of one side on one ticket, not yet carried by any message, to a message. Returns the
 * rows linked: fewer than `ids` when one is unknown, another ticket's or side's, or already sent.
 */
export async function linkAttachments(
  tx: Queryable,
  m: { requestId: string; uploadedBy: AttachmentRow['uploaded_by']; messageId: string; ids: readonly string[] },
): Promise<AttachmentRow[]> {
  const { rows } = await tx.query<AttachmentRow>(
    `UPDATE attachments SET message_id = $1
      WHERE id = ANY($2::uuid[]) AND request_id = $3 AND uploaded_by = $4 AND message_id IS NULL
      RETURNING *`,
    [m.messageId, m.ids, m.requestId, m.uploadedBy],
  );
  return rows;
}

/** The attachments of these messages, in upload order. */
export async function listAttachmentsOfMessages(q: Queryable, messageIds: readonly string[]): Promise<AttachmentRow[]> {
  if (messageIds.length === 0) return [];
  const { rows } = await q.query<AttachmentRow>(
    'SELECT * FROM attachments WHERE message_id = ANY($1::uuid[]) ORDER BY created_at, id',
    [messageIds],
  );
  return rows;
}

export async function insertBlob(tx: Queryable, attachmentId: string, variant: AttachmentVariant, bytes: Buffer): Promise<void> {
  await tx.query('INSERT INTO attachment_blobs (attachment_id, variant, bytes) VALUES ($1, $2, $3)', [attachmentId, variant, bytes]);
}

export async function selectBlob(q: Queryable, attachmentId: string, variant: AttachmentVariant): Promise<Buffer | null> {
  const { rows } = await q.query<{ bytes: Uint8Array }>(
    'SELECT bytes FROM attachment_blobs WHERE attachment_id = $1 AND variant = $2',
    [attachmentId, variant],
  );
  const bytes = rows[0]?.bytes;
  return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null;
}

export async function deleteBlobs(q: Queryable, attachmentIds: readonly string[]): Promise<void> {
  await q.query('DELETE FROM attachment_blobs WHERE attachment_id = ANY($1::uuid[])', [attachmentIds]);
}

/** Ids of attachments deleted from the database whose objects an external store still holds (oldest first). */
export async function listDeletedObjects(q: Queryable, limit: number): Promise<string[]> {
  const { rows } = await q.query<{ attachment_id: string }>(
    'SELECT attachment_id FROM attachment_deleted_objects ORDER BY deleted_at LIMIT $1',
    [limit],
  );
  return rows.map((r) => r.attachment_id);
}

export async function forgetDeletedObjects(q: Queryable, attachmentIds: readonly string[]): Promise<void> {
  await q.query('DELETE FROM attachment_deleted_objects WHERE attachment_id = ANY($1::uuid[])', [attachmentIds]);
}

/** Deletes uploads that no message carries, older than `hours` (their bytes go by cascade or the sweep). */
export async function deleteUnsentOlderThan(q: Queryable, hours: number): Promise<number> {
  const { rowCount } = await q.query(
    `DELETE FROM attachments WHERE message_id IS NULL AND created_at < now() - make_interval(hours => $1)`,
    [hours],
  );
  return rowCount;
}

/**
 * Moves a ticket's attachments to another ticket. A clientId already used on the target by the same
 * side (two uploads' random ids colliding) is dropped on the moved row: the upload is done, its retry key
 * is no longer needed, and (request_id, uploaded_by, client_id) stays unique.
 */
export async function moveAttachmentRows(tx: Queryable, fromRequestId: string, toRequestId: string): Promise<number> {
  const { rowCount } = await tx.query(
    `UPDATE attachments a
        SET request_id = $2,
            client_id = CASE WHEN EXISTS (SELECT 1 FROM attachments t
                                           WHERE t.request_id = $2 AND t.uploaded_by = a.uploaded_by AND t.client_id = a.client_id)
                             THEN NULL ELSE a.client_id END
      WHERE a.request_id = $1`,
    [fromRequestId, toRequestId],
  );
  return rowCount;
}
