import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { devMailsQuerySchema, devMailsResponseSchema, emailQueueStateSchema } from '../../../contracts/email.ts';
import { errorBodySchema } from '../../../contracts/errors.ts';
import { iso, isoOrNull } from '../../db/rows.ts';
import { AppError } from '../../http/app-error.ts';
import { resolveSessionAgent } from '../agents/index.ts';
import { listDevMails, readEmailQueueStats } from './email.repo.ts';

/** The debug page's view of e-mail: admins only (401 without a session, 403 for other agents). */
export const emailDebugRoutes: FastifyPluginAsyncZod = async (app) => {
  const transport = app.config.smtpUrl ? ('smtp' as const) : ('dev-mailbox' as const);

  async function requireAdmin(request: FastifyRequest) {
    const agent = await resolveSessionAgent(app.db, request.headers.cookie);
    if (!agent) throw new AppError('unauthorized');
    if (agent.role !== 'admin') throw new AppError('forbidden');
  }

  app.get(
    '/api/debug/emails',
    { schema: { querystring: devMailsQuerySchema, response: { 200: devMailsResponseSchema, '4xx': errorBodySchema } } },
    async (request) => {
      await requireAdmin(request);
      const mails = await listDevMails(app.db, request.query.limit);
      return { transport, emails: mails.map((m) => ({ ...m, created_at: iso(m.created_at) })) };
    },
  );

  app.get(
    '/api/debug/email-queue',
    { schema: { response: { 200: emailQueueStateSchema, '4xx': errorBodySchema } } },
    async (request) => {
      await requireAdmin(request);
      const stats = await readEmailQueueStats(app.db);
      return {
        transport,
        ...stats,
        lastErrors: stats.lastErrors.map((e) => ({
          ...e,
          last_attempt_at: isoOrNull(e.last_attempt_at),
          next_retry_at: iso(e.next_retry_at),
        })),
      };
    },
  );
};
