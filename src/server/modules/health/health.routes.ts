import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '../../http/error-handler.ts';

/**
 * With REDIS_URL (and the limits on): whether the per-IP limits are shared through Redis (`up`) or,
 * while it is unreachable, counted in this instance's memory (`down`). Redis down is not a 503: the
 * instance serves, its limits are only local for a while.
 */
const detail = { redis: z.enum(['up', 'down']).optional() };

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  const redisDetail = () => {
    const backend = app.config.redisUrl ? app.rateLimitBackend() : null;
    return backend ? { redis: backend === 'redis' ? ('up' as const) : ('down' as const) } : {};
  };
  app.get(
    '/healthz',
    {
      schema: {
        response: {
          200: z.object({ status: z.literal('ok'), ...detail }),
          503: z.object({ status: z.literal('unavailable'), ...detail }),
        },
      },
    },
    async (_request, reply) => {
      if (await app.db.ping()) return { status: 'ok' as const, ...redisDetail() };
      return reply
        .status(503)
        .header('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS))
        .send({ status: 'unavailable' as const, ...redisDetail() });
    },
  );
};
