import type { Db } from '../../db/index.ts';
import { findLiveSessionAgent } from './agents.repo.ts';
import { hashSessionId, sessionIdFromCookieHeader, type SessionAgent } from './session-agent.ts';

/**
 * The agent whose live session the request's Cookie header carries, or null: no cookie, an unknown
 * or ended session, an idle or absolute timeout passed, or a disabled agent. Slides the idle timeout.
 * (Apart from session-agent.ts, which the repository imports for the SessionAgent type: no cycle.)
 */
export async function resolveSessionAgent(db: Db, cookieHeader: string | undefined): Promise<SessionAgent | null> {
  const id = sessionIdFromCookieHeader(cookieHeader);
  if (!id) return null;
  return findLiveSessionAgent(db, hashSessionId(id));
}
