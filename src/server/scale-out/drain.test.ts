import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { testConfig } from '../test/test-app.ts';
import { createTestDb, type TestDb } from '../test/test-db.ts';

// What nginx does to a stopping instance: it keeps the upstream connection alive and sends the next
// request on it. The instance must serve that request (and say `Connection: close`), not refuse it.
let testDb: TestDb;
let app: FastifyInstance;

beforeAll(async () => {
  testDb = await createTestDb();
  app = await buildApp({ db: testDb.db, config: testConfig() });
  await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app?.close();
  await testDb?.cleanup();
});

function read(res: IncomingMessage): Promise<{ status: number; headers: IncomingMessage['headers']; body: any; reused: boolean }> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => (text += d));
    res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text), reused: Boolean((res as IncomingMessage & { req: { reusedSocket: boolean } }).req.reusedSocket) }));
    res.on('error', reject);
  });
}

describe('an instance stopping gracefully', () => {
  it('serves a request that arrives on a kept-alive connection after close began, with Connection: close', async () => {
    const { port } = app.server.address() as { port: number };
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const body = JSON.stringify({ text: 'Is your chicken halal?', lang: 'en' });

    // A request in flight when the stop begins: its headers are in, half of its body is not.
    const headersIn = new Promise<void>((resolve) => app.server.once('request', () => resolve()));
    const first = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: '/api/chat/ask', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
    const firstAnswer = new Promise<IncomingMessage>((resolve, reject) => first.once('response', resolve).once('error', reject));
    first.write(body.slice(0, 10));
    await headersIn;
    const closed = app.close();
    first.end(body.slice(10));
    const one = await read(await firstAnswer);
    expect(one.status).toBe(200);

    // The connection stayed open (it was busy when the stop began): the next request reuses it.
    const second = await new Promise<IncomingMessage>((resolve, reject) =>
      httpRequest({ port, host: '127.0.0.1', path: '/api/faq?lang=en', agent }, resolve).once('error', reject).end(),
    );
    const two = await read(second);
    expect(two.reused).toBe(true);
    expect(two.status).toBe(200);
    expect(Array.isArray(two.body.entries)).toBe(true);
    expect(two.headers.connection).toBe('close');
    await closed;
    agent.destroy();
  });
});
