import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '../../../contracts/errors.ts';
import {
  adminLocationResponseSchema,
  adminLocationsResponseSchema,
  deliversQuerySchema,
  hoursAtResponseSchema,
  hoursQuerySchema,
  locationBodySchema,
  locationParamsSchema,
  locationsResponseSchema,
  supportHoursBodySchema,
  supportHoursResponseSchema,
  supportStatusQuerySchema,
  supportStatusResponseSchema,
} from '../../../contracts/locations.ts';
import { langFromAcceptLanguage } from '../../i18n.ts';
import { requireAdmin } from '../agents/index.ts';
import {
  getLocationHours,
  listAdminLocations,
  listLocations,
  listLocationsDeliveringTo,
  removeLocation,
  saveLocation,
} from './locations.service.ts';
import { clearSupportHours, getSupportHours, getSupportStatus, saveSupportHours } from './support-hours.service.ts';

export const locationsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/locations',
    { schema: { response: { 200: locationsResponseSchema, '4xx': errorBodySchema } } },
    async () => ({ locations: await listLocations({ db: app.db }) }),
  );

  app.get(
    '/api/locations/delivers',
    { schema: { querystring: deliversQuerySchema, response: { 200: locationsResponseSchema, '4xx': errorBodySchema } } },
    async (request) => ({ locations: await listLocationsDeliveringTo({ db: app.db, postcode: request.query.postcode }) }),
  );

  app.get(
    '/api/locations/:id/hours',
    {
      schema: {
        params: locationParamsSchema,
        querystring: hoursQuerySchema,
        response: { 200: hoursAtResponseSchema, '4xx': errorBodySchema },
      },
    },
    async (request) => {
      const at = request.query.at ? new Date(request.query.at) : undefined;
      return getLocationHours({ db: app.db, id: request.params.id, at });
    },
  );

  app.get(
    '/api/support-hours',
    { schema: { querystring: supportStatusQuerySchema, response: { 200: supportStatusResponseSchema, '4xx': errorBodySchema } } },
    async (request) => {
      const lang = request.query.lang ?? langFromAcceptLanguage(request.headers['accept-language']);
      request.lang = lang;
      return getSupportStatus({ db: app.db, lang });
    },
  );

  app.get(
    '/api/agent/locations',
    { onRequest: requireAdmin, schema: { response: { 200: adminLocationsResponseSchema, '4xx': errorBodySchema } } },
    async () => ({ locations: await listAdminLocations({ db: app.db }) }),
  );

  app.put(
    '/api/agent/locations/:id',
    {
      onRequest: requireAdmin,
      schema: {
        params: locationParamsSchema,
        body: locationBodySchema,
        response: { 200: adminLocationResponseSchema, '4xx': errorBodySchema },
      },
    },
    async (request) => ({ location: await saveLocation({ db: app.db, id: request.params.id, body: request.body }) }),
  );

  app.delete(
    '/api/agent/locations/:id',
    { onRequest: requireAdmin, schema: { params: locationParamsSchema, response: { 204: z.null(), '4xx': errorBodySchema } } },
    async (request, reply) => {
      await removeLocation({ db: app.db, id: request.params.id });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/agent/support-hours',
    { onRequest: requireAdmin, schema: { response: { 200: supportHoursResponseSchema, '4xx': errorBodySchema } } },
    async () => ({ supportHours: await getSupportHours({ db: app.db }) }),
  );

  app.put(
    '/api/agent/support-hours',
    {
      onRequest: requireAdmin,
      schema: { body: supportHoursBodySchema, response: { 200: supportHoursResponseSchema, '4xx': errorBodySchema } },
    },
    async (request) => ({ supportHours: await saveSupportHours({ db: app.db, body: request.body }) }),
  );

  app.delete(
    '/api/agent/support-hours',
    { onRequest: requireAdmin, schema: { response: { 204: z.null(), '4xx': errorBodySchema } } },
    async (_request, reply) => {
      await clearSupportHours({ db: app.db });
      return reply.status(204).send(null);
    },
  );
};
