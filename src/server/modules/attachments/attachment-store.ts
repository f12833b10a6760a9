import type { Queryable } from '../../db/index.ts';

/** The two files of an attachment: what was uploaded (re-encoded when an image), and an image's thumbnail. */
export type AttachmentVariant = 'original' | 'thumb';

/**
 * Where the bytes of attachments live. The metadata is always in the `attachments` table; `kind` is
 * written beside it, so a file is read back from the store that holds it.
 * `put` runs inside the transaction that inserts the attachment's row (`tx`): a store in the database
 * writes in it (all or nothing); an external store writes at once, and the caller deletes what it wrote
 * when that transaction fails.
 */
export interface AttachmentStore {
  readonly kind: 'pg' | 's3';
  put(tx: Queryable, attachmentId: string, variant: AttachmentVariant, bytes: Buffer, mime: string): Promise<void>;
  /** The bytes, or null when there are none. */
  get(q: Queryable, attachmentId: string, variant: AttachmentVariant): Promise<Buffer | null>;
  /** Deletes both variants of these attachments (no error for what is already gone). */
  remove(q: Queryable, attachmentIds: readonly string[]): Promise<void>;
}
