import type { Db } from '../../db/index.ts';
import { publishTicketTokenRevoked } from '../../events/bus.ts';
import { sweepDeletedObjects, type AttachmentStore } from '../attachments/index.ts';
import { recordAccess } from './access-record.ts';
import { compactAfterErasure } from './compact-after-erasure.ts';
import { ERASED_MARKER, erasedAddress, pseudonymOf } from './pseudonym.ts';
import {
  deleteAccessRecordBefore,
  deleteDevMailBefore,
  deleteDoneEmailsBefore,
  deleteExpiredRequests,
  listTicketsPastRetention,
  scrubTickets,
} from './privacy.repo.ts';

/**
 * Resolved and closed tickets untouched since `before` (and not under legal hold) are anonymised like an
 * erasure, batch by batch (one transaction each): the rows stay for analytics, their personal data goes.
 * Their files are then removed from an external store, and the embedded database compacted. Returns how
 * many tickets were anonymised.
 */
export async function anonymiseClosedTickets(o: { db: Db; store?: AttachmentStore; before: Date; batchSize: number }): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await o.db.transaction(async (tx) => {
      const tickets = await listTicketsPastRetention(tx, o.before, o.batchSize);
      for (const t of tickets) {
        const pseudonym = await pseudonymOf(tx, t.email);
        await scrubTickets(tx, { ticketIds: [t.id], email: null, erasedAddress: erasedAddress(pseudonym), marker: ERASED_MARKER });
        await publishTicketTokenRevoked(tx, t.id);
        await recordAccess(tx, { actor: { kind: 'retention' }, action: 'erase', email: t.email, ticketId: t.id, details: { reason: 'retention' } });
      }
      return tickets.length;
    });
    total += n;
    if (n < o.batchSize) break;
  }
  if (total > 0) {
    if (o.store) await sweepDeletedObjects(o.db, o.store);
    await compactAfterErasure(o.db);
  }
  return total;
}

async function inBatches(batchSize: number, step: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await step();
    total += n;
    if (n < batchSize) return total;
  }
}

/** E-mails that left (or were given up) before `before`: their outbox rows and the dev mailbox's copies. */
export async function purgeSentEmails(db: Db, before: Date, batchSize: number): Promise<number> {
  const emails = await inBatches(batchSize, () => deleteDoneEmailsBefore(db, before, batchSize));
  await inBatches(batchSize, () => deleteDevMailBefore(db, before, batchSize));
  return emails;
}

/** Lines of the access record older than `before`. */
export function purgeAccessRecord(db: Db, before: Date, batchSize: number): Promise<number> {
  return inBatches(batchSize, () => deleteAccessRecordBefore(db, before, batchSize));
}

/** Customers' requests whose link expired (never confirmed, or an export already downloaded). */
export function purgeExpiredPrivacyRequests(db: Db, now: Date, batchSize: number): Promise<number> {
  return inBatches(batchSize, () => deleteExpiredRequests(db, now, batchSize));
}
