import type { FastifyRequest } from 'fastify';
import { AppError } from '../../http/app-error.ts';
import { resolveSessionAgent, type SessionAgent } from '../agents/session-agent.ts';

/**
 * The agent behind the request's session cookie: 401 without one, 403 when `role: 'admin'` is
 * required and the agent is not an admin, 403 for a state-changing call from another site's page.
 */
export async function requireSessionAgent(
  request: FastifyRequest,
  options: { role?: 'admin'; changesState?: boolean } = {},
): Promise<SessionAgent> {
  const agent = await resolveSessionAgent(request.server.db, request.headers.cookie);
  if (!agent) throw new AppError('unauthorized');
  if (options.role === 'admin' && agent.role !== 'admin') throw new AppError('forbidden');
  if (options.changesState && !isSameSiteOrigin(request)) throw new AppError('forbidden', { internal: 'cross-site request' });
  return agent;
}

/** Route hooks: the session is checked before the body, so a caller without one learns nothing else. */
export const agentOnly = async (request: FastifyRequest) => {
  await requireSessionAgent(request);
};
export const adminOnly = async (request: FastifyRequest) => {
  await requireSessionAgent(request, { role: 'admin', changesState: request.method !== 'GET' && request.method !== 'HEAD' });
};

function isSameSiteOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  const own = `${request.protocol}://${request.host}`;
  return origin === own || request.server.config.allowedOrigins.includes(origin);
}
