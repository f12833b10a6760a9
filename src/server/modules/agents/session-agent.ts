import type { Db } from '../../db/index.ts';

/** The agent behind a session cookie, as other modules (realtime, debug) see it. */
export type SessionAgent = { id: string; email: string; name: string; role: 'agent' | 'admin' };

/**
 * The agent whose live session the request's Cookie header carries, or null.
 * Owned by the agents module: it replaces this body with the real session lookup (same signature).
 */
export async function resolveSessionAgent(_db: Db, _cookieHeader: string | undefined): Promise<SessionAgent | null> {
  return null;
}
