import { randomBytes } from 'node:crypto';
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REALTIME_PATH } from '../../contracts/realtime-constants.ts';
import { buildApp } from '../app.ts';
import { testConfig } from '../test/test-app.ts';
import { createTestDb, type TestDb } from '../test/test-db.ts';

// What nginx does to a stopping instance: it keeps its upstream connections alive and sends the next
// request on one of them. A stop (SIGTERM, app.close) must serve what still arrives and close every
// connection as soon as its answer is out, so that it ends promptly and nothing is refused.
let testDb: TestDb;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  testDb = await createTestDb();
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await testDb?.cleanup();
});

async function startApp(): Promise<{ app: FastifyInstance; port: number }> {
  const app = await buildApp({ db: testDb.db, config: testConfig() });
  apps.push(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, port: (app.server.address() as { port: number }).port };
}

type Answer = { status: number; connection: string | undefined; body: any; reused: boolean };

function read(res: IncomingMessage): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => (text += d));
    res.on('end', () =>
      resolve({
        status: res.statusCode ?? 0,
        connection: res.headers.connection,
        body: JSON.parse(text),
        reused: Boolean((res as IncomingMessage & { req: { reusedSocket: boolean } }).req.reusedSocket),
      }),
    );
    res.on('error', reject);
  });
}

function get(port: number, path: string, agent: Agent): Promise<Answer> {
  return new Promise<IncomingMessage>((resolve, reject) => httpRequest({ port, host: '127.0.0.1', path, agent }, resolve).once('error', reject).end()).then(read);
}

/** A WebSocket client that never answers the server's close frame, so the stop waits out its grace. */
async function unresponsiveWebSocket(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.write(
    `GET ${REALTIME_PATH} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('data', (d: Buffer) => (d.toString().startsWith('HTTP/1.1 101') ? resolve() : reject(new Error(d.toString()))));
    socket.once('error', reject);
  });
  return socket;
}

describe('an instance stopping gracefully behind a proxy', () => {
  it('answers a request in flight when the stop began, closes its connection, and finishes stopping', async () => {
    const { app, port } = await startApp();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const body = JSON.stringify({ text: 'Is your chicken halal?', lang: 'en' });

    // Its headers are in, half of its body is not: the connection is busy, so the stop does not close it.
    const headersIn = new Promise<void>((resolve) => app.server.once('request', () => resolve()));
    const req = httpRequest({
      port,
      host: '127.0.0.1',
      method: 'POST',
      path: '/api/chat/ask',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    const answered = new Promise<IncomingMessage>((resolve, reject) => req.once('response', resolve).once('error', reject));
    req.write(body.slice(0, 10));
    await headersIn;
    const closed = app.close();
    req.end(body.slice(10));

    const answer = await read(await answered);
    expect(answer.status).toBe(200);
    expect(answer.body.intent).toBeTypeOf('string');
    // Kept alive, the connection would hold app.close() until the keep-alive timeout (72 s).
    expect(answer.connection).toBe('close');
    await closed;
    agent.destroy();
  });

  it('serves, with Connection: close, a request that arrives on a kept-alive connection while it stops', async () => {
    const { app, port } = await startApp();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const before = await get(port, '/api/faq?lang=en', agent);
    expect(before.status).toBe(200);
    expect(before.connection).toBe('keep-alive');
    // The stop first closes the WebSockets and gives each a second to answer: meanwhile the idle
    // connection is still open, and a proxy may send on it.
    const ws = await unresponsiveWebSocket(port);
    const closed = app.close();

    const during = await get(port, '/api/faq?lang=en', agent);
    expect(during.reused).toBe(true);
    expect(during.status).toBe(200);
    expect(Array.isArray(during.body.entries)).toBe(true);
    expect(during.connection).toBe('close');
    await closed;
    ws.destroy();
    agent.destroy();
  });
});
