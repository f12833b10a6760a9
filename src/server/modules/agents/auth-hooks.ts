import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { AppError } from '../../http/app-error.ts';
import { isOwnOrigin } from '../../http/own-origin.ts';
import { resolveSessionAgent } from './resolve-session-agent.ts';
import type { SessionAgent } from './session-agent.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in agent, set by requireAgent / requireAdmin. */
    agent?: SessionAgent;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request comes from our own pages. The server's own origins are PUBLIC_URL's and the one the
 * request was addressed to (its Host: a browser cannot forge it, and it keeps the check right when the
 * server is reached under another name than PUBLIC_URL). ALLOWED_ORIGINS are deliberately not trusted
 * here: they may embed the customer widget, which never acts with an agent's cookie.
 * Without an Origin header (non-browser clients, old browsers), the request passes unless
 * Sec-Fetch-Site says it came from another site.
 */
export function isSameOriginRequest(request: FastifyRequest, config: Pick<Config, 'publicUrl'>): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) {
    const site = request.headers['sec-fetch-site'];
    return site === undefined || site === 'same-origin';
  }
  return isOwnOrigin(origin, request.headers.host, config.publicUrl);
}

/** Refuses (403) a change (POST, PATCH, PUT, DELETE) sent from another site's page: CSRF. */
export async function requireSameOrigin(request: FastifyRequest): Promise<void> {
  if (SAFE_METHODS.has(request.method)) return;
  if (!isSameOriginRequest(request, request.server.config)) {
    throw new AppError('forbidden', { reason: 'foreign_origin' });
  }
}

/**
 * Route hook (onRequest, so it answers before the body is even parsed): 403 for a change from another
 * site, 401 without a live session; sets request.agent.
 */
export async function requireAgent(request: FastifyRequest): Promise<void> {
  await requireSameOrigin(request);
  const agent = await resolveSessionAgent(request.server.db, request.headers.cookie);
  if (!agent) throw new AppError('unauthorized', { reason: 'session_required' });
  request.agent = agent;
}

/** Route hook: as requireAgent, then 403 unless the agent is an admin. */
export async function requireAdmin(request: FastifyRequest): Promise<void> {
  await requireAgent(request);
  if (request.agent?.role !== 'admin') throw new AppError('forbidden', { reason: 'admin_required' });
}

/** The agent set by requireAgent; a route that forgot its preHandler fails loudly rather than open. */
export function currentAgent(request: FastifyRequest): SessionAgent {
  if (!request.agent) throw new AppError('unauthorized', { reason: 'session_required' });
  return request.agent;
}
