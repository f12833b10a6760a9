import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBodySchema } from '../../../contracts/errors.ts';
import { metricsAcceptedSchema, metricsBodySchema } from '../../../contracts/metrics.ts';
import { recordClientMetrics } from './metrics.service.ts';

/** `POST /api/metrics`: the widget's performance metrics and Web Vitals (sendBeacon), 202 when stored. */
export const metricsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/metrics',
    { schema: { body: metricsBodySchema, response: { 202: metricsAcceptedSchema, '4xx': errorBodySchema } } },
    async (request, reply) => {
      const accepted = await recordClientMetrics({ db: app.db, body: request.body });
      return reply.status(202).send({ accepted });
    },
  );
};
