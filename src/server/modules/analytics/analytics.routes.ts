import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { analyticsQuerySchema, analyticsResponseSchema } from '../../../contracts/agents.ts';
import { checklistResponseSchema } from '../../../contracts/checklist.ts';
import { errorBodySchema } from '../../../contracts/errors.ts';
import { requireAgent } from '../agents/index.ts';
import { getAnalytics, getDailyChecklist } from './analytics.service.ts';

export const analyticsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/agent/analytics',
    {
      onRequest: requireAgent,
      schema: { querystring: analyticsQuerySchema, response: { 200: analyticsResponseSchema, '4xx': errorBodySchema } },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return getAnalytics({ db: app.db, query: request.query });
    },
  );

  app.get(
    '/api/agent/checklist',
    { onRequest: requireAgent, schema: { response: { 200: checklistResponseSchema, '4xx': errorBodySchema } } },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return getDailyChecklist({ db: app.db });
    },
  );
};
