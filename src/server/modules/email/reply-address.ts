import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../../db/index.ts';

/**
 * Hex characters of the HMAC kept in a reply address (80 bits). RFC 5321 allows 64 characters before
 * the @: `reply+` (6) + the ticket's UUID (36) + `.` (1) + 20 = 63.
 */
const SIGNATURE_HEX_CHARS = 20;
const REPLY_LOCAL_PART = /^reply\+([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([0-9a-f]+)$/;

/** The key that signs reply addresses (migration 0013 makes it; one for every instance). */
export async function readReplyKey(q: Queryable): Promise<Buffer> {
  const { rows } = await q.query<{ secret: string }>('SELECT secret FROM email_reply_keys WHERE id = 1');
  if (!rows[0]) throw new Error('email_reply_keys has no key: migration 0013 was not applied');
  return Buffer.from(rows[0].secret, 'hex');
}

function sign(key: Buffer, ticketId: string): string {
  return createHmac('sha256', key).update(`reply:${ticketId.toLowerCase()}`).digest('hex').slice(0, SIGNATURE_HEX_CHARS);
}

/**
 * The address a customer's reply goes to: `reply+<ticket>.<signature>@<domain>`. The signature is an
 * HMAC of the ticket id, so an address can be neither guessed from a ticket id nor forged for another.
 */
export function replyAddressFor(key: Buffer, ticketId: string, domain: string): string {
  return `reply+${ticketId.toLowerCase()}.${sign(key, ticketId)}@${domain}`;
}

export type ReplyAddressCheck =
  /** Not a reply address at all (the support address, anything else). */
  | { kind: 'none' }
  /** A reply address whose signature is not ours: forged, guessed or damaged. */
  | { kind: 'forged'; ticketId: string | null }
  | { kind: 'valid'; ticketId: string };

/**
 * Reads a recipient address. Mail systems may change the case of an address, so it is compared in
 * lower case (the address is lower case when made); the domain is not checked here (forwarding may
 * rewrite it: the signature is what proves the address).
 */
export function checkReplyAddress(key: Buffer, address: string): ReplyAddressCheck {
  const at = address.lastIndexOf('@');
  const local = (at < 0 ? address : address.slice(0, at)).toLowerCase();
  if (!local.startsWith('reply+')) return { kind: 'none' };
  const m = REPLY_LOCAL_PART.exec(local);
  if (!m) return { kind: 'forged', ticketId: null };
  const [, ticketId, signature] = m as unknown as [string, string, string];
  const expected = Buffer.from(sign(key, ticketId));
  const given = Buffer.from(signature);
  const ok = given.length === expected.length && timingSafeEqual(given, expected);
  return ok ? { kind: 'valid', ticketId } : { kind: 'forged', ticketId };
}
