import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../app.ts';
import { freePort } from '../test/server-process.ts';
import { startTcpProxy } from '../test/tcp-proxy.ts';
import { testConfig, useTestApp } from '../test/test-app.ts';
import { REDIS_KEY_PREFIX, type RedisCircuit } from './rate-limit-store.ts';

// The Redis server the tests may use (loopback only); the outages are made with a proxy in front of it.
const REDIS_URL = process.env.REDIS_URL_TEST ?? 'redis://127.0.0.1:6379';
const LIMIT = 3;
const METRICS_TOKEN = 'redis-failover-test-metrics-token';
// Generous bounds for polling the circuit's state; the assertions themselves are on behaviour, not time.
const POLL = { timeout: 15_000, interval: 50 };

const ctx = useTestApp();

/** A fresh client address for each phase, so that each starts from an empty window. */
const newIp = () => `10.77.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

/** Every log line the app writes, parsed. */
function captureLogs() {
  const lines: Array<{ level: number; msg: string }> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, stream) };
}

async function limitedApp(redisUrl: string, logger?: pino.Logger): Promise<FastifyInstance> {
  const app = await buildApp({
    db: ctx.testDb.db,
    config: testConfig({ rateLimit: true, rateLimitPerMinute: LIMIT, redisUrl, metricsToken: METRICS_TOKEN }),
    logger,
  });
  await app.ready();
  return app;
}

/** An unknown ticket: 404 while under the limit, 429 past it; touches no row. */
const hit = async (app: FastifyInstance, ip: string) =>
  (await app.inject({ url: `/api/tickets/${randomUUID()}`, headers: { authorization: 'Bearer x' }, remoteAddress: ip })).statusCode;

async function statuses(app: FastifyInstance, ip: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await hit(app, ip));
  return out;
}

async function health(app: FastifyInstance) {
  return (await app.inject({ url: '/healthz' })).json() as { status: string; redis?: string };
}

async function storeGauge(app: FastifyInstance, store: 'redis' | 'memory'): Promise<number> {
  const text = (await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).body;
  const line = text.split('\n').find((l) => l.startsWith(`tf_rate_limit_store{store="${store}"} `));
  return Number(line?.split(' ')[1]);
}

const UNREACHABLE_LOG = 'Redis unreachable';

describe('per-IP limits while Redis is unreachable (issue 13: every request took 10 s and the limits were skipped)', () => {
  it('counts in memory at once when nothing listens at REDIS_URL: the limit holds, Redis is never called, the outage is logged once and shown', async () => {
    const logs = captureLogs();
    const app = await limitedApp(`redis://127.0.0.1:${await freePort()}`, logs.logger);
    try {
      const circuit = app.rateLimitCircuit as RedisCircuit;
      let reconnects = 0;
      circuit.redis.on('reconnecting', () => (reconnects += 1));

      const ip = newIp();
      expect(await statuses(app, ip, LIMIT + 2)).toEqual([404, 404, 404, 429, 429]);
      expect(circuit.redisCalls).toBe(0);
      expect(app.rateLimitBackend()).toBe('memory');
      expect(await health(app)).toEqual({ status: 'ok', redis: 'down' });
      expect(await storeGauge(app, 'memory')).toBe(1);
      expect(await storeGauge(app, 'redis')).toBe(0);

      // ioredis keeps retrying in the background; the outage is still one log line, not one per try or request.
      await vi.waitFor(() => expect(reconnects).toBeGreaterThanOrEqual(3), POLL);
      expect(await statuses(app, newIp(), 2)).toEqual([404, 404]);
      expect(logs.lines.filter((l) => l.msg.startsWith(UNREACHABLE_LOG))).toHaveLength(1);
      expect(circuit.redisCalls).toBe(0);
    } finally {
      await app.close();
    }
  });

  describe('through a link to Redis that fails and comes back', () => {
    let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
    let app: FastifyInstance;
    let direct: Redis;
    let circuit: RedisCircuit;
    const logs = captureLogs();
    beforeAll(async () => {
      const target = new URL(REDIS_URL);
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
      direct = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await direct.connect();
      app = await limitedApp(`redis://127.0.0.1:${proxy.port}`, logs.logger);
      circuit = app.rateLimitCircuit as RedisCircuit;
    });
    afterAll(async () => {
      await app?.close();
      await proxy?.close();
      direct?.disconnect();
    });

    /** The count Redis holds for an address (the app's key for a route without a limit of its own). */
    const countInRedis = async (ip: string) => Number((await direct.get(`${REDIS_KEY_PREFIX}${ip}`)) ?? 0);

    it('counts in Redis while it answers', async () => {
      expect(app.rateLimitBackend()).toBe('redis');
      const ip = newIp();
      expect(await statuses(app, ip, 2)).toEqual([404, 404]);
      expect(await countInRedis(ip)).toBe(2);
      expect(await health(app)).toEqual({ status: 'ok', redis: 'up' });
      expect(await storeGauge(app, 'redis')).toBe(1);
    });

    it('fails over to memory when the link freezes, without calling Redis again, and comes back once it answers', async () => {
      proxy.freeze();
      const ip = newIp();
      // The first request finds Redis silent: it waits for one short command timeout, then counts in memory.
      expect(await hit(app, ip)).toBe(404);
      expect(app.rateLimitBackend()).toBe('memory');
      const calls = circuit.redisCalls;
      expect(await statuses(app, ip, LIMIT)).toEqual([404, 404, 429]);
      expect(circuit.redisCalls).toBe(calls);
      expect(await health(app)).toEqual({ status: 'ok', redis: 'down' });

      proxy.thaw();
      await vi.waitFor(() => expect(app.rateLimitBackend()).toBe('redis'), POLL);
      const back = newIp();
      expect(await statuses(app, back, 1)).toEqual([404]);
      expect(circuit.redisCalls).toBe(calls + 1);
      expect(await countInRedis(back)).toBe(1);
    });

    it('fails over when Redis goes away (connections dropped, refused) and uses it again once it is back', async () => {
      await proxy.cut();
      await vi.waitFor(() => expect(app.rateLimitBackend()).toBe('memory'), POLL);
      const calls = circuit.redisCalls;
      const ip = newIp();
      expect(await statuses(app, ip, LIMIT + 1)).toEqual([404, 404, 404, 429]);
      expect(circuit.redisCalls).toBe(calls);
      expect(await storeGauge(app, 'memory')).toBe(1);

      await proxy.restore();
      await vi.waitFor(() => expect(app.rateLimitBackend()).toBe('redis'), POLL);
      const back = newIp();
      expect(await statuses(app, back, 2)).toEqual([404, 404]);
      expect(await countInRedis(back)).toBe(2);
      expect(await health(app)).toEqual({ status: 'ok', redis: 'up' });
    });

    it('logged each outage once and each return once', () => {
      const down = logs.lines.filter((l) => l.msg.startsWith(UNREACHABLE_LOG));
      const back = logs.lines.filter((l) => l.msg.startsWith('Redis answers again'));
      expect(down).toHaveLength(2);
      expect(back).toHaveLength(2);
    });
  });
});
