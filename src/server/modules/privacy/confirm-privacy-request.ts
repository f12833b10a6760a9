import type { Lang } from '../../../contracts/common.ts';
import type { ErasedCounts, PrivacyExport } from '../../../contracts/privacy.ts';
import type { Db } from '../../db/index.ts';
import { AppError } from '../../http/app-error.ts';
import type { AttachmentStore } from '../attachments/index.ts';
import { erasePersonalData } from './erase-personal-data.ts';
import { exportPersonalData } from './export-personal-data.ts';
import { findRequestByTokenHash, markRequestCompleted } from './privacy.repo.ts';
import { hashLinkToken } from './request-privacy.ts';

export type ConfirmedRequest = { lang: Lang } & ({ kind: 'export'; document: PrivacyExport } | { kind: 'erase'; erased: ErasedCounts });

/**
 * Completes a customer's request from the token of its e-mailed link: an export answers the document
 * (the link may be used again until it expires: a download can fail), an erasure erases (and its request
 * goes with the rest). An unknown, expired or already used link: 404 `privacy_link_invalid`.
 */
export async function confirmPrivacyRequest(o: { db: Db; store: AttachmentStore; token: string }): Promise<ConfirmedRequest> {
  const request = await findRequestByTokenHash(o.db, hashLinkToken(o.token));
  if (!request) throw new AppError('not_found', { reason: 'privacy_link_invalid' });
  const actor = { kind: 'customer' as const };
  if (request.kind === 'export') {
    const document = await exportPersonalData({ db: o.db, store: o.store, email: request.email, includeNotes: false, actor });
    await markRequestCompleted(o.db, request.id);
    return { kind: 'export', document, lang: request.lang };
  }
  return { kind: 'erase', erased: await erasePersonalData({ db: o.db, store: o.store, email: request.email, actor }), lang: request.lang };
}
