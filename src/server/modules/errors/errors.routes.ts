import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CLIENT_ERROR_LIMITS,
  CLIENT_ERRORS_ENDPOINT,
  clientErrorAcceptedSchema,
  clientErrorReportSchema,
} from '../../../contracts/client-errors.ts';
import { errorBodySchema } from '../../../contracts/errors.ts';
import { clientErrorsQuota, reportClientError } from './errors.service.ts';

/** `POST /api/client-errors`: an uncaught error of the widget, the dashboard or the debug page (sendBeacon). */
export const clientErrorsRoutes: FastifyPluginAsyncZod = async (app) => {
  const quota = clientErrorsQuota();
  app.post(
    CLIENT_ERRORS_ENDPOINT,
    {
      bodyLimit: CLIENT_ERROR_LIMITS.bodyMaxBytes,
      schema: { body: clientErrorReportSchema, response: { 202: clientErrorAcceptedSchema, '4xx': errorBodySchema } },
    },
    async (request, reply) => {
      const kept = await reportClientError({
        db: app.db,
        reporter: app.errorReporter,
        report: request.body,
        userAgent: request.headers['user-agent'],
        release: app.config.release,
        address: request.ip,
        quota,
      });
      return reply.status(202).send({ accepted: kept ? 1 : 0 });
    },
  );
};
