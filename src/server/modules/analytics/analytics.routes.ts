import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { analyticsQuerySchema, analyticsResponseSchema } from '../../../contracts/agents.ts';
import { errorBodySchema } from '../../../contracts/errors.ts';
import { requireAgent } from '../agents/auth-hooks.ts';
import { getAnalytics } from './analytics.service.ts';

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
};
