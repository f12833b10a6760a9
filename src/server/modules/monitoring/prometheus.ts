import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { readEmailMetrics } from '../email/email.metrics.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Counts the per-IP refusals (http/security.ts). */
    countRateLimited?: (route: string) => void;
  }
}

/**
 * `GET /metrics` in Prometheus' text format, one registry per app: HTTP latency per route, WebSocket
 * connections, the e-mail outbox (read from the database, so the same on every instance), per-IP
 * refusals, and Node's own figures (event-loop lag, memory, GC).
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
  const email = new Map<string, Gauge>();
  app.decorate('countRateLimited', (route: string) => rateLimited.inc({ route }));

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    if (!route || route === '/metrics') return;
    httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
    try {
      for (const s of await readEmailMetrics(app.db)) {
        let gauge = email.get(s.name);
        if (!gauge) {
          gauge = new Gauge({ name: s.name, help: s.help, labelNames: Object.keys(s.labels), registers: [registry] });
          email.set(s.name, gauge);
        }
        gauge.set(s.labels, s.value);
      }
    } catch (err) {
      app.log.warn({ err }, 'e-mail metrics unavailable');
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
});
