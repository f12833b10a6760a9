import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { AppError } from './app-error.ts';
import { failoverStore, RedisCircuit, type RateLimitBackend } from './rate-limit-store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where the per-IP limits are counted now (/metrics, /healthz); null with RATE_LIMIT=off. */
    rateLimitBackend: () => RateLimitBackend | null;
    /** The circuit in front of Redis when REDIS_URL is set (and the limits are on); null otherwise. */
    rateLimitCircuit: RedisCircuit | null;
  }
}

/** Stricter per-IP limits (per minute) where a request costs more or invites abuse; the rest use the default. */
export const ROUTE_LIMITS_PER_MINUTE: Record<string, number> = {
  'POST /api/tickets': 20,
  'POST /api/chat/ask': 60,
  'POST /api/chat/feedback': 60,
  'GET /api/orders/track': 30,
  'POST /api/auth/login': 30,
  'POST /api/metrics': 120,
  'POST /api/client-errors': 30,
  // Each upload decodes and re-encodes an image (CPU): 30 a minute is 6 messages of 5 photos.
  'POST /api/tickets/:id/attachments': 30,
  // Each known address gets at most 3 e-mails an hour anyway; this keeps the form from probing addresses.
  'POST /api/privacy/requests': 10,
  'POST /api/privacy/requests/confirm': 10,
  // The widget asks once each time it offers a person (contact form, thread handoff); customers behind one
  // carrier or restaurant Wi-Fi address share it, so the limit stays well above one customer's use.
  'GET /api/chat/handoff': 120,
  // The agents' routes below count per office address (a team behind one NAT shares it), each on its own.
  // An agent's own click: each change is published to every instance and every open dashboard.
  'PUT /api/agent/availability': 60,
  // Read once when a dashboard (re)connects: a whole team reconnecting after a restart stays well under it.
  'GET /api/agent/mentions': 60,
  // Locks two tickets and moves a conversation (messages, attachments, e-mail links): a rare, heavy action.
  'POST /api/agent/tickets/:id/merge': 30,
};
// Health checks, scrapes, and the ordering system's signed webhook (authenticated, and busy at peak from one address).
const UNLIMITED = new Set(['/healthz', '/metrics', '/api/integrations/orders']);


/** Pages that a restaurant's site may frame: the chat (its /?embed=1 iframe). Everything else: nobody. */
function frameAncestors(config: Config, url: string): string {
  const path = url.split('?')[0];
  if (path === '/' || path === '/index.html') return ["'self'", ...config.allowedOrigins].join(' ');
  return "'none'";
}

/**
 * Security headers (a strict CSP on every answer, framing limited to the configured sites), CORS for
 * the configured sites only, and per-IP rate limits, in Redis when REDIS_URL is set so that every
 * instance shares them (in memory while Redis is unreachable). Returns a function that closes what it opened.
 */
export async function registerSecurity(app: FastifyInstance, config: Config): Promise<() => Promise<void>> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        // blob: the widget's attachments, fetched with the ticket's token and shown from object URLs.
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // frame-ancestors replaces X-Frame-Options, which cannot name the restaurants' sites.
    frameguard: false,
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
  app.addHook('onSend', async (request, reply) => {
    const csp = reply.getHeader('content-security-policy');
    if (typeof csp === 'string') {
      reply.header('content-security-policy', csp.replace("frame-ancestors 'none'", `frame-ancestors ${frameAncestors(config, request.url)}`));
    }
  });

  await app.register(cors, {
    origin: (origin, cb) => cb(null, !origin || config.allowedOrigins.includes(origin) ? (origin ?? false) : false),
    methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
    allowedHeaders: ['content-type', 'authorization', 'accept-language', 'if-none-match'],
    exposedHeaders: ['retry-after', 'etag'],
    maxAge: 600,
  });

  // With REDIS_URL, the limits are shared through Redis behind a circuit: while it is unreachable they are
  // counted in this process at once (rate-limit-store.ts), never skipped and never waited for.
  const circuit = config.rateLimit && config.redisUrl ? new RedisCircuit(config.redisUrl, app.log) : null;
  app.decorate('rateLimitBackend', () => (config.rateLimit ? (circuit?.backend ?? 'memory') : null));
  app.decorate('rateLimitCircuit', circuit);
  // Start on Redis when it answers at once; past REDIS_CONNECT_TIMEOUT_MS, start on memory and let the circuit close later.
  if (circuit) app.addHook('onReady', () => circuit.firstAttempt);
  if (config.rateLimit) {
    await app.register(rateLimit, {
      global: true,
      max: (request) => ROUTE_LIMITS_PER_MINUTE[`${request.method} ${request.routeOptions.url}`] ?? config.rateLimitPerMinute,
      timeWindow: 60_000,
      allowList: (request) => UNLIMITED.has(request.routeOptions.url ?? ''),
      keyGenerator: (request) => {
        const route = `${request.method} ${request.routeOptions.url}`;
        return ROUTE_LIMITS_PER_MINUTE[route] ? `${request.ip}|${route}` : request.ip;
      },
      store: failoverStore(circuit),
      errorResponseBuilder: (request, context) => {
        app.countRateLimited?.(`${request.method} ${request.routeOptions.url ?? 'unknown'}`);
        return new AppError('rate_limited', { retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)), internal: 'per-IP rate limit' });
      },
    });
  }
  return async () => {
    await circuit?.close();
  };
}
