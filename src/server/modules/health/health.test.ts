import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { PostgresDb } from '../../db/postgres.ts';
import { createTicketViaApi } from '../../test/factories.ts';
import { startTcpProxy } from '../../test/tcp-proxy.ts';
import { testConfig, useTestApp } from '../../test/test-app.ts';
import { onPostgres } from '../../test/test-db.ts';

const ctx = useTestApp();

describe('GET /healthz', () => {
  it('answers 200 once the database answers', async () => {
    const res = await ctx.app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });
});

describe.skipIf(!onPostgres)('when the PostgreSQL server becomes unreachable', () => {
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let db: PostgresDb;
  let app: FastifyInstance;

  beforeAll(async () => {
    const url = new URL(ctx.testDb.url!);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    db = new PostgresDb({ connectionString: url.toString(), schema: ctx.testDb.schema });
    app = await buildApp({ db, config: testConfig() });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await proxy?.close();
  });

  it('answers 503 without stack or SQL while it is down, and recovers by itself', async () => {
    expect((await createTicketViaApi(app)).ticket.id).toBeTruthy();
    await proxy.cut();

    const health = await app.inject({ url: '/healthz' });
    expect(health.statusCode).toBe(503);
    expect(health.headers['retry-after']).toBe('5');
    const res = await app.inject({ method: 'POST', url: '/api/tickets', payload: { email: 'down@example.com', message: 'hello?' } });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toEqual({ error: { code: 'unavailable', message: expect.stringContaining('problème temporaire') } });
    expect(res.body).not.toMatch(/ECONN|terminated|at |SELECT|INSERT/);

    await proxy.restore();
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await createTicketViaApi(app)).ticket.id).toBeTruthy();
  });
});

describe.skipIf(!onPostgres)('when the PostgreSQL server stops answering without closing the connection', () => {
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let db: PostgresDb;
  let app: FastifyInstance;

  beforeAll(async () => {
    const url = new URL(ctx.testDb.url!);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    db = new PostgresDb({ connectionString: url.toString(), schema: ctx.testDb.schema, queryTimeoutMs: 1_000 });
    app = await buildApp({ db, config: testConfig() });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await proxy?.close();
  });

  it('answers 503 with Retry-After instead of hanging, and serves again once it answers', async () => {
    const before = await createTicketViaApi(app);
    proxy.freeze();
    const res = await app.inject({ method: 'POST', url: '/api/tickets', payload: { email: 'frozen@example.com', message: 'anyone?' } });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json().error.code).toBe('unavailable');
    proxy.thaw();
    expect((await createTicketViaApi(app)).ticket.id).not.toBe(before.ticket.id);
    const stored = await ctx.testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM support_requests WHERE email = 'frozen@example.com'`);
    // The frozen request may or may not have reached the server before the freeze; it is never half-stored.
    expect(stored.rows[0]!.n).toBeLessThanOrEqual(1);
  });
});
