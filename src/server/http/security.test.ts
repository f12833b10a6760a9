import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import type { Config } from '../config.ts';
import { uniqueEmail } from '../test/factories.ts';
import { testConfig, useTestApp } from '../test/test-app.ts';

const SITE = 'https://www.tastyfood.example';
const METRICS_TOKEN = 'security-test-metrics-token';
const ctx = useTestApp({ allowedOrigins: [SITE] });

/** A second app on the same database, with other settings. */
function useApp(overrides: Partial<Config>) {
  const holder = {} as { app: FastifyInstance };
  beforeAll(async () => {
    holder.app = await buildApp({ db: ctx.testDb.db, config: testConfig({ allowedOrigins: [SITE], ...overrides }) });
    await holder.app.ready();
  });
  afterAll(async () => holder.app?.close());
  return holder;
}

function unknownTicket(app: FastifyInstance, headers: Record<string, string> = {}, remoteAddress = '127.0.0.1') {
  return app.inject({ url: `/api/tickets/${randomUUID()}`, headers: { authorization: 'Bearer x', ...headers }, remoteAddress });
}

describe('security headers', () => {
  it('sends a strict Content-Security-Policy that forbids framing of the API and the dashboard', async () => {
    for (const url of ['/healthz', '/agent']) {
      const res = await ctx.app.inject({ url });
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('lets only the configured restaurant sites frame the chat page', async () => {
    const res = await ctx.app.inject({ url: '/?embed=1' });
    expect(String(res.headers['content-security-policy'])).toContain(`frame-ancestors 'self' ${SITE}`);
  });
});

describe('CORS', () => {
  it('allows a configured site', async () => {
    const res = await ctx.app.inject({ method: 'OPTIONS', url: '/api/tickets', headers: { origin: SITE, 'access-control-request-method': 'POST' } });
    expect(res.headers['access-control-allow-origin']).toBe(SITE);
  });

  it('does not allow another site', async () => {
    const res = await ctx.app.inject({ method: 'OPTIONS', url: '/api/tickets', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('per-IP rate limits', () => {
  const limited = useApp({ rateLimit: true, rateLimitPerMinute: 5, metricsToken: METRICS_TOKEN });

  it('answers the request past the limit with 429, Retry-After and the contract’s error', async () => {
    const ip = '10.1.0.1';
    for (let i = 0; i < 5; i++) expect((await unknownTicket(limited.app, {}, ip)).statusCode).toBe(404);
    const res = await unknownTicket(limited.app, { 'accept-language': 'en' }, ip);
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringContaining('Too many requests') } });
    const metrics = await limited.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(metrics.body).toContain('tf_rate_limited_total{route="GET /api/tickets/:id"} 1');
  });

  it('counts each address apart', async () => {
    for (let i = 0; i < 5; i++) await unknownTicket(limited.app, {}, '10.1.0.2');
    expect((await unknownTicket(limited.app, {}, '10.1.0.3')).statusCode).toBe(404);
  });

  it('ignores a forged X-Forwarded-For when no proxy is trusted', async () => {
    const ip = '10.1.0.4';
    for (let i = 0; i < 5; i++) await unknownTicket(limited.app, { 'x-forwarded-for': `192.0.2.${i}` }, ip);
    expect((await unknownTicket(limited.app, { 'x-forwarded-for': '192.0.2.99' }, ip)).statusCode).toBe(429);
  });

  it('never limits /healthz', async () => {
    for (let i = 0; i < 8; i++) expect((await limited.app.inject({ url: '/healthz', remoteAddress: '10.1.0.5' })).statusCode).toBe(200);
  });

  it('opening tickets has its own, stricter limit', async () => {
    const ip = '10.1.0.6';
    const codes: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/tickets', remoteAddress: ip, payload: { email: 'nope' } });
      codes.push(res.statusCode);
    }
    // the test app runs without limits; the limited one applies 20 a minute to this route
    expect(codes.every((c) => c === 400)).toBe(true);
    const strict: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await limited.app.inject({ method: 'POST', url: '/api/tickets', remoteAddress: ip, payload: { email: uniqueEmail(), message: 'x'.repeat(6000) } });
      strict.push(res.statusCode);
    }
    expect(strict.slice(0, 20).every((c) => c === 400)).toBe(true);
    expect(strict[20]).toBe(429);
  });
});

describe('behind a trusted proxy', () => {
  const proxied = useApp({ rateLimit: true, rateLimitPerMinute: 3, trustProxy: ['127.0.0.1'] });

  it('takes the client address from X-Forwarded-For', async () => {
    for (let i = 0; i < 3; i++) await unknownTicket(proxied.app, { 'x-forwarded-for': '198.51.100.1' });
    expect((await unknownTicket(proxied.app, { 'x-forwarded-for': '198.51.100.1' })).statusCode).toBe(429);
    expect((await unknownTicket(proxied.app, { 'x-forwarded-for': '198.51.100.2' })).statusCode).toBe(404);
  });
});

describe.skipIf(!process.env.REDIS_URL_TEST)('limits shared in Redis', () => {
  const a = useApp({ rateLimit: true, rateLimitPerMinute: 4, redisUrl: process.env.REDIS_URL_TEST });
  const b = useApp({ rateLimit: true, rateLimitPerMinute: 4, redisUrl: process.env.REDIS_URL_TEST });
  // The Redis keys are per address: an address of this run alone (documentation range 2001:db8::/32, 64
  // random bits) counts under keys no other test file, and no run beside this one on the same Redis, shares.
  const runAddress = `2001:db8:${randomBytes(8).toString('hex').match(/.{4}/g)!.join(':')}::1`;

  it('counts the requests of one address across two instances', async () => {
    // An instance starts on memory when Redis has not answered within REDIS_CONNECT_TIMEOUT_MS (a loaded
    // machine): wait until both count in Redis, else the two would count apart.
    const circuits = [a.app.rateLimitCircuit!, b.app.rateLimitCircuit!];
    await expect.poll(() => circuits.map((c) => c.backend), { timeout: 10_000, interval: 50 }).toEqual(['redis', 'redis']);
    const statuses = [];
    for (const app of [a.app, b.app, a.app, b.app]) statuses.push((await unknownTicket(app, {}, runAddress)).statusCode);
    expect(statuses).toEqual([404, 404, 404, 404]);
    expect((await unknownTicket(a.app, {}, runAddress)).statusCode).toBe(429);
    expect((await unknownTicket(b.app, {}, runAddress)).statusCode).toBe(429);
  });
});
