import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * How long after a ticket's creation a retry of that creation may still receive its token. A lost
 * answer is retried within seconds (the widget retries at once, and its secret lives only in the page).
 */
export const CREATE_RETRY_WINDOW_SECONDS = 10 * 60;

const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

function keyOf(clientSecret: string): Buffer {
  return createHash('sha256').update('tf-create-retry\0', 'utf8').update(clientSecret, 'utf8').digest();
}

/**
 * Seals a new ticket's token under the creating request's `clientSecret` (which is never stored): only
 * a request that knows that secret, i.e. the author of the first request, can open it again. The ticket
 * id is authenticated too, so a box is worth nothing on another ticket.
 */
export function sealCreateRetry(token: string, clientSecret: string, ticketId: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, keyOf(clientSecret), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(ticketId, 'utf8'));
  const sealed = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), sealed].map((b) => b.toString('base64url')).join('.');
}

/** The token sealed in `box`, or null when the secret (or the ticket) is not the one it was sealed with. */
export function openCreateRetry(box: string, clientSecret: string, ticketId: string): string | null {
  const [iv, tag, sealed] = box.split('.').map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !tag || !sealed || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv(CIPHER, keyOf(clientSecret), iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(ticketId, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
