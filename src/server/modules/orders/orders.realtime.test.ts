import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveOrderSchema } from '../../../contracts/orders.ts';
import type { ServerFrame } from '../../../contracts/realtime.ts';
import { buildApp } from '../../app.ts';
import { uniqueEmail } from '../../test/factories.ts';
import { testConfig } from '../../test/test-app.ts';
import { createTestDb, type TestDb } from '../../test/test-db.ts';
import { TestSocket, realtimeUrl } from '../../test/test-socket.ts';
import { signOrderWebhook } from './webhook-signature.ts';

const SECRET = 'realtime-test-secret-for-orders';
let testDb: TestDb;
let app: FastifyInstance;
const sockets: TestSocket[] = [];
let counter = 0;

beforeAll(async () => {
  testDb = await createTestDb();
  app = await buildApp({ db: testDb.db, config: testConfig({ ordersWebhookSecret: SECRET }) });
  await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  for (const s of sockets) s.ws.terminate();
  await app?.close();
  await testDb?.cleanup();
});

async function connect() {
  const socket = await TestSocket.open(realtimeUrl(app));
  sockets.push(socket);
  return socket;
}

async function postOrder(body: Record<string, unknown>) {
  const raw = JSON.stringify(body);
  const ts = Math.floor(Date.now() / 1000);
  const res = await app.inject({
    method: 'POST',
    url: '/api/integrations/orders',
    headers: { 'content-type': 'application/json', 'x-tf-timestamp': String(ts), 'x-tf-signature': signOrderWebhook(SECRET, ts, raw) },
    payload: raw,
  });
  expect(res.statusCode).toBeLessThan(300);
}

async function newTrackedOrder() {
  counter += 1;
  const number = `RT-${Date.now().toString(36).toUpperCase()}-${counter}`;
  const email = uniqueEmail();
  await postOrder({ number, email, status: 'preparing', updatedAt: new Date(Date.now() - 60_000).toISOString() });
  const res = await app.inject({ url: `/api/orders/track?number=${number}&email=${encodeURIComponent(email)}` });
  return { number, email, token: res.json().order.trackingToken as string };
}

const orderFrames = (s: TestSocket, channel: string) =>
  s.frames.filter((f): f is Extract<ServerFrame, { type: 'order.updated' }> => f.type === 'order.updated' && f.channel === channel);

describe('realtime order:<number> channel', () => {
  it('sends the current state on subscription, then every change made through the webhook', async () => {
    const { number, email, token } = await newTrackedOrder();
    const socket = await connect();
    const channel = `order:${number}`;
    await socket.subscribe(channel, { token });
    const first = await socket.waitFor((f) => f.type === 'order.updated' && f.channel === channel);
    expect(first).toMatchObject({ order: { number, status: 'preparing' } });

    await postOrder({ number, email, status: 'out_for_delivery', updatedAt: new Date().toISOString() });
    const live = await socket.waitFor((f) => f.type === 'order.updated' && f.channel === channel && f.order.status === 'out_for_delivery');
    expect(liveOrderSchema.strict().parse((live as { order: unknown }).order)).toMatchObject({ number });
    expect(JSON.stringify(live)).not.toContain(token);
  });

  it('accepts a lower-case number and answers on the canonical upper-case channel', async () => {
    const { number, token } = await newTrackedOrder();
    const socket = await connect();
    socket.send({ type: 'subscribe', channel: `order:${number.toLowerCase()}`, token });
    await socket.waitFor((f) => f.type === 'subscribed' && f.channel === `order:${number}`);
  });

  it('refuses a missing token, another order’s token and an unknown number, and sends them nothing', async () => {
    const a = await newTrackedOrder();
    const b = await newTrackedOrder();
    const socket = await connect();
    await expect(socket.subscribe(`order:${a.number}`)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(socket.subscribe(`order:${a.number}`, { token: b.token })).rejects.toMatchObject({ code: 'not_found' });
    await expect(socket.subscribe('order:NO-SUCH-ORDER', { token: b.token })).rejects.toMatchObject({ code: 'not_found' });
    await postOrder({ number: a.number, email: a.email, status: 'ready', updatedAt: new Date().toISOString() });
    // b's own subscription proves events flow; a's channel must have stayed silent.
    await socket.subscribe(`order:${b.number}`, { token: b.token });
    await socket.waitFor((f) => f.type === 'order.updated' && f.channel === `order:${b.number}`);
    expect(orderFrames(socket, `order:${a.number}`)).toEqual([]);
  });

  it('drops the live view of the previous owner when the ordering system changes the order’s e-mail', async () => {
    const { number, token } = await newTrackedOrder();
    const socket = await connect();
    const channel = `order:${number}`;
    await socket.subscribe(channel, { token });
    await socket.waitFor((f) => f.type === 'order.updated' && f.channel === channel);
    await postOrder({ number, email: uniqueEmail(), status: 'ready', updatedAt: new Date().toISOString() });
    await socket.waitFor((f) => f.type === 'error' && f.channel === channel);
    expect(orderFrames(socket, channel).map((f) => f.order.status)).toEqual(['preparing']);
  });
});
