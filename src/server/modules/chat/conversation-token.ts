import { createHash, randomBytes } from 'node:crypto';

/** A bot thread's secret: 256 random bits, kept by the widget; only its SHA-256 is stored. */
export function newConversationToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashConversationToken(token) };
}

export function hashConversationToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
