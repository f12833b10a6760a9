import type { Queryable } from '../../db/index.ts';
import type { AttachmentStore } from './attachment-store.ts';
import { deleteBlobs, insertBlob, selectBlob } from './attachments.repo.ts';

/**
 * The default store: the bytes in PostgreSQL (`attachment_blobs`, bytea), written in the transaction of
 * the attachment's row. Works on the embedded database and, unchanged, for every instance behind a load
 * balancer; deleting a ticket deletes its files by cascade.
 */
export function createPgAttachmentStore(): AttachmentStore {
  return {
    kind: 'pg',
    put: (tx, id, variant, bytes) => insertBlob(tx, id, variant, bytes),
    get: (q, id, variant) => selectBlob(q, id, variant),
    remove: (q: Queryable, ids) => deleteBlobs(q, ids),
  };
}
