import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { createLogger } from './logger.ts';
import { createAgent } from './test/agent-factories.ts';
import { createTestDb, type TestDb } from './test/test-db.ts';
import { testConfig } from './test/test-app.ts';

// The process logger as main.ts makes it, writing into memory: what an operator's log collector would get.
let testDb: TestDb;
let app: FastifyInstance;
const lines: Array<Record<string, unknown>> = [];
let raw = '';

beforeAll(async () => {
  testDb = await createTestDb();
  const destination = {
    write(chunk: string) {
      raw += chunk;
      for (const line of chunk.split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  };
  app = await buildApp({ db: testDb.db, config: testConfig({ publicUrl: 'http://localhost:3000' }), logger: createLogger('info', destination) });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await testDb?.cleanup();
});

describe('the process log', () => {
  it('is JSON with a request id on every line of a request, and never holds a token, password or session', async () => {
    const password = 'a-very-secret-passphrase-42';
    const agent = await createAgent(testDb.db, { password });
    const created = await app.inject({
      method: 'POST',
      url: '/api/tickets',
      payload: { email: 'logs@example.com', message: 'Where is my order?', lang: 'en' },
    });
    expect(created.statusCode).toBe(201);
    const { ticket, token } = created.json() as { ticket: { id: string }; token: string };
    const read = await app.inject({ url: `/api/tickets/${ticket.id}`, headers: { authorization: `Bearer ${token}` } });
    expect(read.statusCode).toBe(200);
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: agent.email, password } });
    expect(login.statusCode).toBe(200);
    const session = String(login.headers['set-cookie']).split(';')[0]!.split('=')[1]!;
    const me = await app.inject({ url: '/api/auth/me', headers: { cookie: `tf_session=${session}` } });
    expect(me.statusCode).toBe(200);

    const requestLines = lines.filter((l) => l.req !== undefined || l.res !== undefined);
    // Fastify's own "incoming request" and "request completed" lines for the four requests, at least.
    expect(requestLines.length).toBeGreaterThanOrEqual(8);
    for (const line of requestLines) expect(line.reqId).toEqual(expect.any(String));
    expect(new Set(requestLines.map((l) => l.reqId)).size).toBeGreaterThanOrEqual(4);
    for (const secret of [token, password, session]) expect(raw).not.toContain(secret);
  });
});
