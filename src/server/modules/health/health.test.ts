import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { PostgresDb } from '../../db/postgres.ts';
import { createTicketViaApi } from '../../test/factories.ts';
import { startTcpProxy } from '../../test/tcp-proxy.ts';
import { testConfig, useTestApp } from '../../test/test-app.ts';
import { onPostgres } from '../../test/test-db.ts';

const ctx = useTestApp();

/** An app whose database connections go through a TCP proxy the test can cut or freeze (PostgreSQL only). */
function useAppBehindProxy(options: { queryTimeoutMs?: number } = {}) {
  const ctxProxied = {} as { proxy: Awaited<ReturnType<typeof startTcpProxy>>; db: PostgresDb; app: FastifyInstance };
  beforeAll(async () => {
    const url = new URL(ctx.testDb.url!);
    ctxProxied.proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${ctxProxied.proxy.port}`;
    ctxProxied.db = new PostgresDb({ connectionString: url.toString(), schema: ctx.testDb.schema, queryTimeoutMs: options.queryTimeoutMs });
    ctxProxied.app = await buildApp({ db: ctxProxied.db, config: testConfig() });
    await ctxProxied.app.ready();
  });
  afterAll(async () => {
    await ctxProxied.app?.close();
    await ctxProxied.db?.close();
    await ctxProxied.proxy?.close();
  });
  return ctxProxied;
}

describe('GET /healthz', () => {
  it('answers 200 once the database answers', async () => {
    const res = await ctx.app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });
});

describe.skipIf(!onPostgres)('when the PostgreSQL server becomes unreachable', () => {
  const proxied = useAppBehindProxy();

  it('answers 503 without stack or SQL while it is down, and recovers by itself', async () => {
    expect((await createTicketViaApi(proxied.app)).ticket.id).toBeTruthy();
    await proxied.proxy.cut();

    const health = await proxied.app.inject({ url: '/healthz' });
    expect(health.statusCode).toBe(503);
    expect(health.headers['retry-after']).toBe('5');
    const res = await proxied.app.inject({ method: 'POST', url: '/api/tickets', payload: { email: 'down@example.com', message: 'hello?' } });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toEqual({ error: { code: 'unavailable', message: expect.stringContaining('problème temporaire') } });
    expect(res.body).not.toMatch(/ECONN|terminated|at |SELECT|INSERT/);

    await proxied.proxy.restore();
    expect((await proxied.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await createTicketViaApi(proxied.app)).ticket.id).toBeTruthy();
  });
});

describe.skipIf(!onPostgres)('when the PostgreSQL server stops answering without closing the connection', () => {
  const proxied = useAppBehindProxy({ queryTimeoutMs: 1_000 });

  it('answers 503 with Retry-After instead of hanging, and serves again once it answers', async () => {
    const before = await createTicketViaApi(proxied.app);
    proxied.proxy.freeze();
    const res = await proxied.app.inject({ method: 'POST', url: '/api/tickets', payload: { email: 'frozen@example.com', message: 'anyone?' } });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json().error.code).toBe('unavailable');
    proxied.proxy.thaw();
    expect((await createTicketViaApi(proxied.app)).ticket.id).not.toBe(before.ticket.id);
    const stored = await ctx.testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM support_requests WHERE email = 'frozen@example.com'`);
    // The frozen request may or may not have reached the server before the freeze; it is never half-stored.
    expect(stored.rows[0]!.n).toBeLessThanOrEqual(1);
  });
});
