import { createHash, randomBytes } from 'node:crypto';
import { DEFAULT_LANG, type Lang } from '../../../contracts/common.ts';
import type { PrivacyRequestKind } from '../../../contracts/privacy.ts';
import type { Db, Queryable } from '../../db/index.ts';
import { EMAILS_PER_RECIPIENT_PER_HOUR } from '../../events/email-outbox.ts';
import { recordAccess } from './access-record.ts';
import { countRecentEmailsTo, enqueuePrivacyEmail, insertPrivacyRequest, isKnownAddress, lockAddress, setRequestTokens } from './privacy.repo.ts';

/** How long an e-mailed confirmation link works, from the moment the e-mail is sent. */
export const REQUEST_LINK_HOURS = 24;
/** The outbox's e-mail type of each kind of request (src/contracts/email.ts). */
export const PRIVACY_EMAIL_TYPES = { export: 'privacy_export', erase: 'privacy_erase' } as const;

export const hashLinkToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * A customer's request for a copy of their data or its erasure. When the address is known (a ticket or
 * an order) and fewer than EMAILS_PER_RECIPIENT_PER_HOUR e-mails went to it in the last hour, a request
 * is stored and a confirmation e-mail queued in the outbox; otherwise nothing happens. The caller answers
 * the same in every case, so the form tells nobody whether an address is a customer's.
 */
export async function requestPrivacyAction(o: { db: Db; email: string; kind: PrivacyRequestKind; lang?: Lang }): Promise<void> {
  await o.db.transaction(async (tx) => {
    // One writer per address at a time: two requests racing cannot both pass the hourly cap.
    await lockAddress(tx, o.email);
    if (!(await isKnownAddress(tx, o.email))) return;
    if ((await countRecentEmailsTo(tx, o.email)) >= EMAILS_PER_RECIPIENT_PER_HOUR) return;
    const lang = o.lang ?? DEFAULT_LANG;
    const id = await insertPrivacyRequest(tx, { kind: o.kind, email: o.email, lang, ttlHours: REQUEST_LINK_HOURS });
    await enqueuePrivacyEmail(tx, { privacyRequestId: id, type: PRIVACY_EMAIL_TYPES[o.kind], recipient: o.email, lang });
    await recordAccess(tx, { actor: { kind: 'customer' }, action: 'request', email: o.email, details: { kind: o.kind } });
  });
}

/**
 * Called by the e-mail worker when it claims confirmation e-mails: a fresh random token per request (256
 * bits, base64url), of which only the SHA-256 is kept; the link works REQUEST_LINK_HOURS from now. A resent
 * e-mail gets a new token, and the earlier link stops working.
 */
export async function mintPrivacyLinkTokens(tx: Queryable, requestIds: string[]): Promise<string[]> {
  const tokens = requestIds.map(() => randomBytes(32).toString('base64url'));
  await setRequestTokens(
    tx,
    requestIds.map((id, i) => ({ id, tokenHash: hashLinkToken(tokens[i]!) })),
    REQUEST_LINK_HOURS,
  );
  return tokens;
}

/** The page the e-mailed link opens; the token rides in the fragment, so no server log ever sees it. */
export function privacyConfirmLink(publicUrl: string, token: string): string {
  return `${publicUrl}/privacy/confirm#${token}`;
}
