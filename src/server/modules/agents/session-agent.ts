import { createHash, randomBytes } from 'node:crypto';
import { SESSION_COOKIE } from '../../../contracts/agents.ts';

/** The agent behind a session cookie, as other modules (realtime, debug) see it. */
export type SessionAgent = { id: string; email: string; name: string; role: 'agent' | 'admin' };

// 256 random bits in base64url: 43 characters.
const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new session id (256 random bits) and the SHA-256 that is all the database keeps of it. */
export function newSessionId(): { id: string; hash: string } {
  const id = randomBytes(32).toString('base64url');
  return { id, hash: hashSessionId(id) };
}

export function hashSessionId(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

/**
 * The well-formed session id of a Cookie header, or null. Read here rather than from @fastify/cookie's
 * request.cookies so that it also serves the WebSocket upgrade and scripts, with or without the plugin.
 */
export function sessionIdFromCookieHeader(cookieHeader: string | undefined): string | null {
  return secretFromCookieHeader(cookieHeader, SESSION_COOKIE);
}

/** The well-formed 256-bit secret (43 base64url characters) of cookie `name` in a Cookie header, or null. */
export function secretFromCookieHeader(cookieHeader: string | undefined, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    if (SESSION_ID_PATTERN.test(value)) return value;
  }
  return null;
}
