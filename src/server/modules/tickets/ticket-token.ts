import { createHash, randomBytes } from 'node:crypto';

/** A ticket's secret: 256 random bits, shown once; only its SHA-256 is stored. */
export function newTicketToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashTicketToken(token) };
}

export function hashTicketToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The token of `Authorization: Bearer <token>`, or null. */
export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+([A-Za-z0-9_-]{1,200})\s*$/i.exec(header ?? '');
  return m?.[1] ?? null;
}
