import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { createTestDb, type TestDb } from '../../test/test-db.ts';
import { testConfig } from '../../test/test-app.ts';

// A ticket token's shape (32 random bytes, base64url) and a password: neither may reach Sentry.
const TOKEN = 'Zq8Jd9_aQwErTyUiOpAsDfGhJkLzXcVbNm123456789';
const PASSWORD = 'hunter2-correct-horse';

/** A real HTTP server standing in for Sentry's ingest: it keeps every envelope it is sent. */
async function startIngest() {
  const envelopes: Array<{ path: string; body: string }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
      envelopes.push({ path: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { envelopes, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The events of an envelope (header line, then item header / payload pairs). */
function events(body: string): Array<Record<string, any>> {
  const lines = body.split('\n').filter(Boolean);
  const out = [];
  for (let i = 1; i + 1 < lines.length; i += 2) {
    if (JSON.parse(lines[i]!).type === 'event') out.push(JSON.parse(lines[i + 1]!));
  }
  return out;
}

async function appWithFailingRoute(testDb: TestDb, sentryDsn: string | undefined): Promise<FastifyInstance> {
  const app = await buildApp({ db: testDb.db, config: testConfig({ sentryDsn, sentryEnvironment: 'test' }) });
  app.get('/test/boom', async () => {
    throw new Error(`ledger exploded while reading password=${PASSWORD} for Bearer ${TOKEN}`);
  });
  await app.ready();
  return app;
}

const provoke = (app: FastifyInstance) =>
  app.inject({
    url: '/test/boom?token=' + TOKEN,
    headers: { authorization: `Bearer ${TOKEN}`, cookie: `tf_session=${TOKEN}` },
  });

describe('unexpected errors sent to Sentry', () => {
  let testDb: TestDb;
  let ingest: Awaited<ReturnType<typeof startIngest>>;
  beforeAll(async () => {
    testDb = await createTestDb();
    ingest = await startIngest();
  });
  afterAll(async () => {
    await ingest?.close();
    await testDb?.cleanup();
  });

  it('sends a 500 to the ingest endpoint with its message, route and request id, and no token, password or cookie', async () => {
    const app = await appWithFailingRoute(testDb, `http://publickey@127.0.0.1:${ingest.port}/1`);
    const res = await provoke(app);
    await app.close(); // flushes the client
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('ledger');

    const sent = ingest.envelopes.filter((e) => e.path.startsWith('/api/1/envelope/'));
    const serverEvents = sent.flatMap((e) => events(e.body)).filter((e) => e.tags?.source === 'server');
    expect(serverEvents).toHaveLength(1);
    const event = serverEvents[0]!;
    expect(event.exception.values[0].type).toBe('Error');
    expect(event.exception.values[0].value).toContain('ledger exploded while reading');
    expect(event.tags.route).toBe('GET /test/boom');
    expect(event.tags.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.environment).toBe('test');
    expect(event.release).toBe(app.config.release);
    const all = sent.map((e) => e.body).join('\n');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain('tf_session');

    // The same error is in error_logs, with the request's id, and no secret either.
    const stored = async () =>
      (
        await testDb.db.query<{ message: string; stack: string; context: { requestId: string } }>(
          `SELECT message, stack, context FROM error_logs WHERE source = 'server' AND context->>'requestId' = $1`,
          [event.tags.request_id],
        )
      ).rows;
    await expect.poll(async () => (await stored()).length, { timeout: 30_000 }).toBe(1);
    const [row] = await stored();
    expect(row!.message).toContain('ledger exploded');
    expect(JSON.stringify(row)).not.toContain(TOKEN);
    expect(JSON.stringify(row)).not.toContain(PASSWORD);
  });

  it('forwards a browser report to Sentry as a client error, its address without the token', async () => {
    const app = await appWithFailingRoute(testDb, `http://publickey@127.0.0.1:${ingest.port}/1`);
    const res = await app.inject({
      method: 'POST',
      url: '/api/client-errors',
      payload: { page: 'dashboard', type: 'RangeError', message: 'queue exploded', url: `http://localhost:3000/agent/#token=${TOKEN}` },
    });
    await app.close();
    expect(res.statusCode).toBe(202);
    const clientEvents = ingest.envelopes.flatMap((e) => events(e.body)).filter((e) => e.tags?.source === 'client');
    expect(clientEvents).toHaveLength(1);
    expect(clientEvents[0]!.exception.values[0]).toMatchObject({ type: 'RangeError', value: 'queue exploded' });
    expect(clientEvents[0]!.tags.page).toBe('dashboard');
    expect(clientEvents[0]!.contexts.client.url).toBe('http://localhost:3000/agent/');
    expect(ingest.envelopes.map((e) => e.body).join('\n')).not.toContain(TOKEN);
  });

  it('sends nothing without SENTRY_DSN, and still logs the error in error_logs', async () => {
    const logged = async () =>
      (await testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM error_logs WHERE message LIKE 'ledger exploded%'`)).rows[0]!.n;
    const before = { envelopes: ingest.envelopes.length, logged: await logged() };
    const app = await appWithFailingRoute(testDb, undefined);
    expect(app.errorReporter).toBeNull();
    const res = await provoke(app);
    await app.close();
    expect(res.statusCode).toBe(500);
    await expect.poll(logged, { timeout: 30_000 }).toBe(before.logged + 1);
    expect(ingest.envelopes.length).toBe(before.envelopes);
  });
});
