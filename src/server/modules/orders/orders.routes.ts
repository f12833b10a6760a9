import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBodySchema } from '../../../contracts/errors.ts';
import {
  ORDER_WEBHOOK_HEADERS,
  orderWebhookBodySchema,
  orderWebhookResponseSchema,
  trackOrderQuerySchema,
  trackOrderResponseSchema,
} from '../../../contracts/orders.ts';
import { AppError } from '../../http/app-error.ts';
import { applyOrderUpdate, trackOrder } from './orders.service.ts';
import { checkWebhookTimestamp, verifyOrderWebhook } from './webhook-signature.ts';

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The ordering system's webhook, in a plugin of its own: its JSON parser keeps the raw bytes to check
 * their signature, and that parser applies to this route only.
 */
const orderIntegrationRoutes: FastifyPluginAsyncZod = async (app) => {
  const verified = new WeakSet<FastifyRequest>();
  const secret = () => {
    const s = app.config.ordersWebhookSecret;
    if (!s) throw new AppError('unavailable', { reason: 'orders_integration_disabled' });
    return s;
  };

  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, rawBody, done) => {
    try {
      const raw = rawBody as Buffer;
      verifyOrderWebhook({
        secret: secret(),
        timestampHeader: header(request, ORDER_WEBHOOK_HEADERS.timestamp),
        signatureHeader: header(request, ORDER_WEBHOOK_HEADERS.signature),
        rawBody: raw,
      });
      verified.add(request);
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new AppError('invalid_request', { reason: 'invalid_json' });
      }
      done(null, parsed);
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  app.post(
    '/api/integrations/orders',
    {
      // Refuse unconfigured, unsigned or stale calls before their body is even read.
      onRequest: async (request) => {
        secret();
        checkWebhookTimestamp(header(request, ORDER_WEBHOOK_HEADERS.timestamp), Date.now());
        if (!header(request, ORDER_WEBHOOK_HEADERS.signature)) {
          throw new AppError('unauthorized', { reason: 'invalid_signature', internal: 'missing signature' });
        }
      },
      // A request without a JSON body never reached the parser: its signature is checked over no bytes.
      preValidation: async (request) => {
        if (verified.has(request)) return;
        verifyOrderWebhook({
          secret: secret(),
          timestampHeader: header(request, ORDER_WEBHOOK_HEADERS.timestamp),
          signatureHeader: header(request, ORDER_WEBHOOK_HEADERS.signature),
          rawBody: Buffer.alloc(0),
        });
      },
      schema: {
        body: orderWebhookBodySchema,
        response: { 200: orderWebhookResponseSchema, 201: orderWebhookResponseSchema, '4xx': errorBodySchema, '5xx': errorBodySchema },
      },
    },
    async (request, reply) => {
      const result = await applyOrderUpdate({ db: app.db, input: request.body });
      return reply.status(result.created ? 201 : 200).send({ order: result.order, applied: result.applied });
    },
  );
};

export const ordersRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/orders/track',
    {
      schema: {
        querystring: trackOrderQuerySchema,
        response: { 200: trackOrderResponseSchema, '4xx': errorBodySchema },
      },
    },
    async (request, reply) => {
      const order = await trackOrder({ db: app.db, number: request.query.number, email: request.query.email, ip: request.ip });
      // The answer carries the live-tracking token: never kept by a shared cache.
      reply.header('Cache-Control', 'no-store');
      return { order };
    },
  );

  await app.register(orderIntegrationRoutes);
};
