import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { type EmailWorkerCounters, readEmailMetrics } from '../email/index.ts';
import { AppError } from '../../http/app-error.ts';
import { errorBody } from '../../http/error-handler.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Counts the per-IP refusals (http/security.ts). */
    countRateLimited?: (route: string) => void;
    /** Exports the delivery outcomes of the e-mail worker this process runs (main.ts), as counters. */
    observeEmailWorker: (worker: { counters: EmailWorkerCounters }) => void;
    /** Where the separate metrics listener (METRICS_PORT) listens once the app is ready; null without one. */
    metricsAddress: () => AddressInfo | null;
  }
}

export const METRICS_PATH = '/metrics';

/** SHA-256 first, so that both sides have the same length and the comparison time says nothing of the token. */
const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether the request carries `Authorization: Bearer <token>`, compared in constant time. */
export function hasMetricsToken(request: Pick<FastifyRequest, 'headers'>, token: string): boolean {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer (.+)$/i.exec(header);
  return match !== null && timingSafeEqual(digest(match[1]!), digest(token));
}

/**
 * `GET /metrics` in Prometheus' text format, never public (issue 13, ../shared/CONTRACT.md): on
 * METRICS_PORT when set (its own listener, loopback unless METRICS_HOST, no token: the address is the
 * protection), and on the application port only with `Authorization: Bearer <METRICS_TOKEN>` when that
 * is set (401 without it). With neither, the application port answers 404, as for any unknown path: an
 * operator who configures nothing exposes nothing. One registry per app: HTTP latency per route, WebSocket
 * connections, the e-mail outbox (read from the database, so the same on every instance), this
 * process's e-mail worker outcomes, per-IP refusals, and Node's own figures (event-loop lag, memory, GC).
 */
export const prometheusPlugin: FastifyPluginAsync = fp(async (app: FastifyInstance) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

  const httpDuration = new Histogram({
    name: 'tf_http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'tf_rate_limited_total',
    help: 'Requests refused by the per-IP limits, by route',
    labelNames: ['route'],
    registers: [registry],
  });
  new Gauge({
    name: 'tf_websocket_connections',
    help: 'Open WebSocket connections on this instance',
    registers: [registry],
    collect() {
      const hub = (app as { realtimeHub?: { size: number } }).realtimeHub;
      this.set(hub?.size ?? 0);
    },
  });
  new Counter({
    name: 'tf_websocket_frames_total',
    help: 'WebSocket frames received from and sent to clients by this instance',
    labelNames: ['direction'],
    registers: [registry],
    collect() {
      const hub = (app as { realtimeHub?: { frames: { received: number; sent: number } } }).realtimeHub;
      this.reset();
      this.inc({ direction: 'received' }, hub?.frames.received ?? 0);
      this.inc({ direction: 'sent' }, hub?.frames.sent ?? 0);
    },
  });
  new Gauge({
    name: 'tf_rate_limit_store',
    help: 'Where this instance counts the per-IP limits now: 1 for redis (shared) or memory (no REDIS_URL, or Redis unreachable)',
    labelNames: ['store'],
    registers: [registry],
    collect() {
      const backend = app.rateLimitBackend?.() ?? null;
      this.set({ store: 'redis' }, backend === 'redis' ? 1 : 0);
      this.set({ store: 'memory' }, backend === 'memory' ? 1 : 0);
    },
  });
  const email = new Map<string, Gauge | Counter>();
  let emailWorker: { counters: EmailWorkerCounters } | undefined;
  app.decorate('countRateLimited', (route: string) => rateLimited.inc({ route }));
  app.decorate('observeEmailWorker', (worker: { counters: EmailWorkerCounters }) => {
    emailWorker = worker;
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    if (!route || route === '/metrics') return;
    httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  const scrape = async (): Promise<string> => {
    try {
      const samples = await readEmailMetrics(app.db, emailWorker);
      for (const name of new Set(samples.filter((s) => s.type === 'counter').map((s) => s.name))) {
        (email.get(name) as Counter | undefined)?.reset();
      }
      for (const s of samples) {
        let metric = email.get(s.name);
        if (!metric) {
          const options = { name: s.name, help: s.help, labelNames: Object.keys(s.labels), registers: [registry] };
          metric = s.type === 'counter' ? new Counter(options) : new Gauge(options);
          email.set(s.name, metric);
        }
        // The worker keeps its own running totals: a counter is set to them (reset above, then one inc).
        if (metric instanceof Counter) metric.inc(s.labels, s.value);
        else metric.set(s.labels, s.value);
      }
    } catch (err) {
      app.log.warn({ err }, 'e-mail metrics unavailable');
    }
    return registry.metrics();
  };

  const { metricsToken, metricsPort, metricsHost } = app.config;
  if (metricsToken) {
    app.get(METRICS_PATH, { logLevel: 'warn' }, async (request, reply) => {
      if (!hasMetricsToken(request, metricsToken)) throw new AppError('unauthorized', { internal: 'metrics token' });
      return reply.type(registry.contentType).send(await scrape());
    });
  }

  let metricsServer: Server | null = null;
  app.decorate('metricsAddress', () => (metricsServer?.address() as AddressInfo | null | undefined) ?? null);
  if (metricsPort !== undefined) {
    // Started when the app is ready (main.ts's listen, or a test's ready()): a port already taken stops the start.
    app.addHook('onReady', async () => {
      metricsServer = createServer((req, res) => {
        const path = (req.url ?? '').split('?')[0];
        if (req.method === 'GET' && path === METRICS_PATH) {
          void scrape().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
          return;
        }
        res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(errorBody(new AppError('not_found'), 'en')));
      });
      await new Promise<void>((resolve, reject) => {
        metricsServer!.once('error', reject);
        metricsServer!.listen(metricsPort, metricsHost, () => resolve());
      });
      app.log.info({ address: metricsServer.address() }, 'metrics listener ready');
    });
    app.addHook('onClose', async () => {
      if (!metricsServer?.listening) return;
      const closed = new Promise<void>((resolve) => metricsServer!.close(() => resolve()));
      metricsServer.closeAllConnections();
      await closed;
    });
  }
});
