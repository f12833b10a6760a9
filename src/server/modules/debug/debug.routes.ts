import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  debugTicketsResponseSchema,
  metricsSummaryQuerySchema,
  metricsSummaryResponseSchema,
} from '../../../contracts/debug.ts';
import { errorBodySchema } from '../../../contracts/errors.ts';
import { iso, isoOrNull } from '../../db/rows.ts';
import { requireAdmin } from '../agents/index.ts';
import { summarizeRecentClientMetrics } from '../metrics/index.ts';
import { listRecentTickets } from './debug.repo.ts';

/** The debug page's own data (docs/dashboard.md, Debug page): admins only, 401 without a session, 403 for other agents. */
export const debugRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', requireAdmin);
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.get(
    '/api/debug/tickets',
    { schema: { response: { 200: debugTicketsResponseSchema, '4xx': errorBodySchema } } },
    async () => {
      const rows = await listRecentTickets(app.db);
      return {
        tickets: rows.map((r) => ({
          ...r,
          message_count: Number(r.message_count),
          created_at: iso(r.created_at),
          updated_at: iso(r.updated_at),
          last_agent_reply_at: isoOrNull(r.last_agent_reply_at),
          resolved_at: isoOrNull(r.resolved_at),
        })),
      };
    },
  );

  app.get(
    '/api/debug/metrics-summary',
    {
      schema: {
        querystring: metricsSummaryQuerySchema,
        response: { 200: metricsSummaryResponseSchema, '4xx': errorBodySchema },
      },
    },
    async (request) => summarizeRecentClientMetrics({ db: app.db, days: request.query.days }),
  );
};
