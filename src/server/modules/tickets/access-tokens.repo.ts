import type { Queryable } from '../../db/index.ts';

// ticket_access_tokens: the links of e-mails. Checked by tf_token_opens_ticket (functions/ticket-token.sql).
import { hashTicketToken, newTicketToken } from './ticket-token.ts';

/** How long the link of an e-mail opens its ticket. */
export const EMAIL_LINK_TTL_DAYS = 30;

/**
 * Mints one fresh token per e-mail (the ticket's own token is only stored hashed, so it cannot be
 * mailed): the plaintext goes into the e-mail's link and nowhere else, its SHA-256 into
 * ticket_access_tokens. Returns the plaintext tokens in the order of `emails`.
 */
export async function mintEmailLinkTokens(
  tx: Queryable,
  emails: { emailId: string; ticketId: string }[],
): Promise<string[]> {
  if (emails.length === 0) return [];
  const minted = emails.map(() => newTicketToken());
  await tx.query(
    `INSERT INTO ticket_access_tokens (ticket_id, token_hash, purpose, email_id, expires_at)
     SELECT t.ticket_id, t.token_hash, 'email_link', t.email_id, now() + make_interval(days => $4)
       FROM unnest($1::uuid[], $2::text[], $3::uuid[]) AS t (ticket_id, token_hash, email_id)`,
    [emails.map((e) => e.ticketId), minted.map((m) => m.hash), emails.map((e) => e.emailId), EMAIL_LINK_TTL_DAYS],
  );
  return minted.map((m) => m.token);
}

/** Deletes the expired links (the e-mail worker's housekeeping). */
export async function deleteExpiredAccessTokens(q: Queryable): Promise<void> {
  await q.query('DELETE FROM ticket_access_tokens WHERE expires_at < now()');
}
