import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { metricsSummaryQuerySchema, metricsSummaryResponseSchema } from '../../../contracts/debug.ts';
import { errorBodySchema } from '../../../contracts/errors.ts';
import { metricsAcceptedSchema, metricsBodySchema } from '../../../contracts/metrics.ts';
import { requireAgent } from '../agents/index.ts';
import { clientMetricsQuota, recordClientMetrics, summarizeRecentClientMetrics } from './metrics.service.ts';

/** `POST /api/metrics`: the widget's performance metrics and Web Vitals (sendBeacon), 202 when stored. */
export const metricsRoutes: FastifyPluginAsyncZod = async (app) => {
  const quota = clientMetricsQuota();
  app.post(
    '/api/metrics',
    { schema: { body: metricsBodySchema, response: { 202: metricsAcceptedSchema, '4xx': errorBodySchema } } },
    async (request, reply) => {
      const accepted = await recordClientMetrics({ db: app.db, body: request.body, address: request.ip, quota });
      return reply.status(202).send({ accepted });
    },
  );

  // The same summary as the debug page's, for every agent on the dashboard: aggregates only.
  app.get(
    '/api/agent/metrics-summary',
    {
      onRequest: requireAgent,
      schema: { querystring: metricsSummaryQuerySchema, response: { 200: metricsSummaryResponseSchema, '4xx': errorBodySchema } },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return summarizeRecentClientMetrics({ db: app.db, days: request.query.days });
    },
  );
};
