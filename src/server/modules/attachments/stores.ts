import type { AttachmentStorageConfig } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import type { AttachmentStore } from './attachment-store.ts';
import { deleteUnsentOlderThan, forgetDeletedObjects, listDeletedObjects } from './attachments.repo.ts';
import { createPgAttachmentStore } from './pg-store.ts';
import { createS3AttachmentStore } from './s3-store.ts';

export function createAttachmentStore(config: AttachmentStorageConfig): AttachmentStore {
  return config.kind === 's3' ? createS3AttachmentStore(config) : createPgAttachmentStore();
}

const SWEEP_BATCH = 100;

/**
 * Deletes from an external store the files of attachments whose rows are gone (a ticket erased or past
 * its retention: the rows go by cascade, and a trigger notes their ids in attachment_deleted_objects).
 * Returns how many were deleted. Nothing to do for the database store: its bytes went with the rows.
 */
export async function sweepDeletedObjects(db: Db, store: AttachmentStore): Promise<number> {
  if (store.kind === 'pg') return 0;
  let total = 0;
  for (;;) {
    const ids = await listDeletedObjects(db, SWEEP_BATCH);
    if (ids.length === 0) return total;
    await store.remove(db, ids);
    await forgetDeletedObjects(db, ids);
    total += ids.length;
    if (ids.length < SWEEP_BATCH) return total;
  }
}

/** How long an upload may wait for the message that carries it (a draft the writer abandoned). */
export const UNSENT_UPLOAD_HOURS = 24;

/**
 * Deletes uploads no message carried within UNSENT_UPLOAD_HOURS (a file chosen, then the message
 * abandoned), then their files in an external store. Returns how many uploads were deleted.
 */
export async function deleteAbandonedUploads(db: Db, store: AttachmentStore): Promise<number> {
  const deleted = await deleteUnsentOlderThan(db, UNSENT_UPLOAD_HOURS);
  await sweepDeletedObjects(db, store);
  return deleted;
}
