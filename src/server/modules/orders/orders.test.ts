import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { createLoggedInAgent } from '../../test/agent-factories.ts';
import { createTicketViaApi, uniqueEmail } from '../../test/factories.ts';
import { testConfig, useTestApp } from '../../test/test-app.ts';
import { createTestDb, type TestDb } from '../../test/test-db.ts';
import { BUS_CHANNEL_SQL } from '../../events/bus.ts';
import { DEMO_ORDERS, seedDemoOrders } from './demo-orders.ts';
import { authorizeOrderSubscription, findOrderForTicket, isAllowedTransition } from './orders.service.ts';
import { signOrderWebhook } from './webhook-signature.ts';

const SECRET = 'test-secret-for-the-orders-webhook';
const ctx = useTestApp({ ordersWebhookSecret: SECRET });

let orderCounter = 0;
function uniqueOrderNumber(): string {
  orderCounter += 1;
  return `T${Date.now().toString(36).toUpperCase()}-${orderCounter}-${Math.random().toString(36).slice(2, 6).toUpperCase()}`;
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

type WebhookOptions = { secret?: string; timestamp?: number; signature?: string; app?: FastifyInstance };

/** Sends a signed webhook the way the ordering system does (docs/orders.md). */
async function postOrder(body: unknown, options: WebhookOptions = {}) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return (options.app ?? ctx.app).inject({
    method: 'POST',
    url: '/api/integrations/orders',
    headers: {
      'content-type': 'application/json',
      'x-tf-timestamp': String(timestamp),
      'x-tf-signature': options.signature ?? signOrderWebhook(options.secret ?? SECRET, timestamp, raw),
    },
    payload: raw,
  });
}

function track(number: string, email: string, remoteAddress = '10.0.0.1') {
  return ctx.app.inject({
    url: `/api/orders/track?number=${encodeURIComponent(number)}&email=${encodeURIComponent(email)}`,
    remoteAddress,
  });
}

async function countRows(table: string, where: string, params: unknown[]) {
  const { rows } = await ctx.testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params);
  return rows[0]!.n;
}

let ipCounter = 0;
/** A client address of its own, so the per-address brake of one test does not bleed into another. */
function uniqueIp(): string {
  ipCounter += 1;
  return `10.1.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`;
}

describe('POST /api/integrations/orders (authentication)', () => {
  it('accepts a body signed with the shared secret and a fresh timestamp', async () => {
    const res = await postOrder({ number: uniqueOrderNumber(), email: uniqueEmail(), status: 'received', updatedAt: minutesAgo(1) });
    expect(res.statusCode).toBe(201);
  });

  it('refuses a signature made with another secret with 401 and stores nothing', async () => {
    const number = uniqueOrderNumber();
    const res = await postOrder({ number, email: uniqueEmail(), status: 'received', updatedAt: minutesAgo(1) }, { secret: 'another-secret-of-enough-length' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
    expect(await countRows('orders', 'number = $1', [number])).toBe(0);
  });

  it('refuses a body changed after signing with 401', async () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const signed = JSON.stringify({ number: uniqueOrderNumber(), email: uniqueEmail(), status: 'received', updatedAt: minutesAgo(1) });
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/integrations/orders',
      headers: { 'content-type': 'application/json', 'x-tf-timestamp': String(timestamp), 'x-tf-signature': signOrderWebhook(SECRET, timestamp, signed) },
      payload: signed.replace('received', 'cancelled'),
    });
    expect(res.statusCode).toBe(401);
  });

  it('refuses a timestamp older than five minutes with 401 even when correctly signed', async () => {
    const res = await postOrder(
      { number: uniqueOrderNumber(), email: uniqueEmail(), status: 'received', updatedAt: minutesAgo(10) },
      { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 },
    );
    expect(res.statusCode).toBe(401);
  });

  it('refuses missing signature headers and malformed signatures with 401', async () => {
    const raw = JSON.stringify({ number: uniqueOrderNumber(), email: uniqueEmail(), status: 'received', updatedAt: minutesAgo(1) });
    const none = await ctx.app.inject({ method: 'POST', url: '/api/integrations/orders', headers: { 'content-type': 'application/json' }, payload: raw });
    expect(none.statusCode).toBe(401);
    const malformed = await postOrder(raw, { signature: 'sha256=zz' });
    expect(malformed.statusCode).toBe(401);
    const empty = await ctx.app.inject({
      method: 'POST',
      url: '/api/integrations/orders',
      headers: { 'x-tf-timestamp': String(Math.floor(Date.now() / 1000)), 'x-tf-signature': `sha256=${'0'.repeat(64)}` },
    });
    expect(empty.statusCode).toBe(401);
  });

  it('answers a replayed request (same body, same signature) with the same order and no new event', async () => {
    const number = uniqueOrderNumber();
    const raw = JSON.stringify({ number, email: uniqueEmail(), status: 'preparing', updatedAt: minutesAgo(1) });
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signOrderWebhook(SECRET, timestamp, raw);
    const first = await postOrder(raw, { timestamp, signature });
    const replay = await postOrder(raw, { timestamp, signature });
    expect(first.statusCode).toBe(201);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual({ order: first.json().order, applied: false });
    expect(await countRows('order_events e JOIN orders o ON o.id = e.order_id', 'o.number = $1', [number])).toBe(1);
  });

  it('accepts application/json with a charset parameter, and refuses a signed body of another type with 401', async () => {
    const raw = JSON.stringify({ number: uniqueOrderNumber(), email: uniqueEmail(), status: 'received', updatedAt: minutesAgo(1) });
    const ts = Math.floor(Date.now() / 1000);
    const headers = { 'x-tf-timestamp': String(ts), 'x-tf-signature': signOrderWebhook(SECRET, ts, raw) };
    const charset = await ctx.app.inject({ method: 'POST', url: '/api/integrations/orders', headers: { ...headers, 'content-type': 'application/json; charset=utf-8' }, payload: raw });
    expect(charset.statusCode).toBe(201);
    const text = await ctx.app.inject({ method: 'POST', url: '/api/integrations/orders', headers: { ...headers, 'content-type': 'text/plain' }, payload: raw });
    expect(text.statusCode).toBe(401);
  });

  it('answers 400 to a signed body that is not JSON or not an order', async () => {
    expect((await postOrder('{not json')).statusCode).toBe(400);
    const bad = await postOrder({ number: uniqueOrderNumber(), email: 'not-an-email', status: 'lost', updatedAt: minutesAgo(1) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_request');
  });

  it('answers 503 when no ORDERS_WEBHOOK_SECRET is configured', async () => {
    const app = await buildApp({ db: ctx.testDb.db, config: testConfig({ ordersWebhookSecret: undefined }) });
    try {
      const res = await postOrder({ number: uniqueOrderNumber(), email: uniqueEmail(), status: 'received', updatedAt: minutesAgo(1) }, { app });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('unavailable');
    } finally {
      await app.close();
    }
  });

  it('keeps its raw-body JSON parser to itself: other routes still parse JSON as usual', async () => {
    const { ticket } = await createTicketViaApi(ctx.app, { message: 'Encore là ?' });
    expect(ticket.message).toBe('Encore là ?');
  });
});

describe('POST /api/integrations/orders (state)', () => {
  it('creates an order, then records one event per real status change', async () => {
    const number = uniqueOrderNumber();
    const email = uniqueEmail();
    const items = [{ name: 'Tasty Burger', qty: 2, price: 9.5 }];
    const created = await postOrder({ number, email: email.toUpperCase(), status: 'received', items, updatedAt: minutesAgo(10) });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ applied: true, order: { number, email, status: 'received', items, eta: null } });

    const eta = new Date(Date.now() + 20 * 60_000).toISOString();
    const preparing = await postOrder({ number, email, status: 'preparing', eta, updatedAt: minutesAgo(8), note: 'kitchen' });
    expect(preparing.statusCode).toBe(200);
    expect(preparing.json().order).toMatchObject({ status: 'preparing', eta, items });

    // Same status, newer stamp: an ETA change, not a new event.
    const later = new Date(Date.now() + 25 * 60_000).toISOString();
    const etaOnly = await postOrder({ number, email, status: 'preparing', eta: later, updatedAt: minutesAgo(7) });
    expect(etaOnly.json()).toMatchObject({ applied: true, order: { status: 'preparing', eta: later } });

    const order = etaOnly.json().order;
    expect(order.events.map((e: { status: string }) => e.status)).toEqual(['received', 'preparing']);
    expect(order.events[1]).toMatchObject({ note: 'kitchen' });
  });

  it('stores the order number upper-cased', async () => {
    const number = uniqueOrderNumber();
    const res = await postOrder({ number: number.toLowerCase(), email: uniqueEmail(), status: 'received', updatedAt: minutesAgo(1) });
    expect(res.json().order.number).toBe(number);
  });

  it('ignores an update older than the last one applied (delivered out of order)', async () => {
    const number = uniqueOrderNumber();
    const email = uniqueEmail();
    await postOrder({ number, email, status: 'received', updatedAt: minutesAgo(10) });
    await postOrder({ number, email, status: 'ready', updatedAt: minutesAgo(2) });
    const stale = await postOrder({ number, email, status: 'preparing', updatedAt: minutesAgo(5) });
    expect(stale.statusCode).toBe(200);
    expect(stale.json()).toMatchObject({ applied: false, order: { status: 'ready' } });
    expect(stale.json().order.events.map((e: { status: string }) => e.status)).toEqual(['received', 'ready']);
  });

  it('orders updates sharing a timestamp by their sequence', async () => {
    const number = uniqueOrderNumber();
    const email = uniqueEmail();
    const at = minutesAgo(3);
    await postOrder({ number, email, status: 'received', updatedAt: at, sequence: 1 });
    const next = await postOrder({ number, email, status: 'preparing', updatedAt: at, sequence: 2 });
    expect(next.json()).toMatchObject({ applied: true, order: { status: 'preparing' } });
    const older = await postOrder({ number, email, status: 'cancelled', updatedAt: at, sequence: 1 });
    expect(older.json()).toMatchObject({ applied: false, order: { status: 'preparing' } });
  });

  it('refuses going back from delivered or out of cancelled with 409 and changes nothing', async () => {
    const number = uniqueOrderNumber();
    const email = uniqueEmail();
    await postOrder({ number, email, status: 'delivered', updatedAt: minutesAgo(5) });
    const back = await postOrder({ number, email, status: 'preparing', updatedAt: minutesAgo(1) });
    expect(back.statusCode).toBe(409);
    expect(back.json().error.code).toBe('conflict');
    const cancelledNumber = uniqueOrderNumber();
    await postOrder({ number: cancelledNumber, email, status: 'cancelled', updatedAt: minutesAgo(5) });
    expect((await postOrder({ number: cancelledNumber, email, status: 'delivered', updatedAt: minutesAgo(1) })).statusCode).toBe(409);
    expect((await track(number, email, uniqueIp())).json().order.status).toBe('delivered');
  });

  it('refuses an update stamped in the future (it would shadow every real update) with 400', async () => {
    const res = await postOrder({ number: uniqueOrderNumber(), email: uniqueEmail(), status: 'received', updatedAt: new Date(Date.now() + 3600_000).toISOString() });
    expect(res.statusCode).toBe(400);
  });

  it('publishes order.updated on the bus for every applied change, and not for an ignored one', async () => {
    const db = ctx.testDb.db;
    const { rows } = await db.query<{ c: string }>(`SELECT ${BUS_CHANNEL_SQL} AS c`);
    const received: { type: string; orderNumber?: string }[] = [];
    const unlisten = await db.listen(rows[0]!.c, (payload) => received.push(JSON.parse(payload)));
    try {
      const number = uniqueOrderNumber();
      const email = uniqueEmail();
      await postOrder({ number, email, status: 'received', updatedAt: minutesAgo(3) });
      await postOrder({ number, email, status: 'out_for_delivery', updatedAt: minutesAgo(1) });
      await postOrder({ number, email, status: 'preparing', updatedAt: minutesAgo(2) });
      await expect.poll(() => received.filter((e) => e.type === 'order.updated' && e.orderNumber === number).length).toBe(2);
      // The ignored update above was sent after both: had it published, a third event would be here by now.
      await postOrder({ number: uniqueOrderNumber(), email, status: 'received', updatedAt: minutesAgo(1) });
      await expect.poll(() => received.filter((e) => e.type === 'order.updated').length).toBeGreaterThanOrEqual(3);
      expect(received.filter((e) => e.type === 'order.updated' && e.orderNumber === number)).toHaveLength(2);
    } finally {
      await unlisten();
    }
  });

  it('applies concurrent deliveries of the same new order once', async () => {
    const body = { number: uniqueOrderNumber(), email: uniqueEmail(), status: 'received', updatedAt: minutesAgo(1) };
    const answers = await Promise.all([postOrder(body), postOrder(body), postOrder(body)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 201]);
    expect(await countRows('order_events e JOIN orders o ON o.id = e.order_id', 'o.number = $1', [body.number])).toBe(1);
  });
});

describe('GET /api/orders/track', () => {
  async function newOrder(status = 'out_for_delivery') {
    const number = uniqueOrderNumber();
    const email = uniqueEmail();
    const eta = new Date(Date.now() + 15 * 60_000).toISOString();
    await postOrder({ number, email, status: 'received', updatedAt: minutesAgo(20) });
    await postOrder({ number, email, status, eta, updatedAt: minutesAgo(5), note: 'internal note' });
    return { number, email, eta };
  }

  it('answers the order with its events for the right number and e-mail', async () => {
    const { number, email, eta } = await newOrder();
    const res = await track(number, email, uniqueIp());
    expect(res.statusCode).toBe(200);
    const { order } = res.json();
    expect(order).toMatchObject({ number, status: 'out_for_delivery', eta });
    expect(order.events).toEqual([
      { status: 'received', at: expect.any(String) },
      { status: 'out_for_delivery', at: expect.any(String) },
    ]);
    expect(order.trackingToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(order)).not.toContain('internal note');
    expect(order).not.toHaveProperty('email');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers the ordered items (name, quantity, unit price) that the widget lists', async () => {
    const number = uniqueOrderNumber();
    const email = uniqueEmail();
    const items = [
      { name: 'Tasty Burger', qty: 2, price: 9.5 },
      { name: 'Fries', qty: 1, price: 3 },
    ];
    await postOrder({ number, email, status: 'preparing', items, updatedAt: minutesAgo(3) });
    const res = await track(number, email, uniqueIp());
    expect(res.statusCode).toBe(200);
    expect(res.json().order.items).toEqual(items);
  });

  it('compares the e-mail case-insensitively and the number too', async () => {
    const { number, email } = await newOrder();
    const res = await track(number.toLowerCase(), email.toUpperCase(), uniqueIp());
    expect(res.statusCode).toBe(200);
  });

  it('answers a wrong e-mail exactly as an unknown number: same status, same body', async () => {
    const { number } = await newOrder();
    const ip = uniqueIp();
    const wrongEmail = await track(number, uniqueEmail(), ip);
    const unknownNumber = await track(uniqueOrderNumber(), uniqueEmail(), ip);
    expect(wrongEmail.statusCode).toBe(404);
    expect(unknownNumber.statusCode).toBe(404);
    expect(wrongEmail.body).toBe(unknownNumber.body);
    expect(wrongEmail.json().error.code).toBe('not_found');
    expect(wrongEmail.headers['content-type']).toBe(unknownNumber.headers['content-type']);
  });

  it('answers 400 to a missing or malformed number or e-mail', async () => {
    expect((await ctx.app.inject({ url: '/api/orders/track?number=TF-1' })).statusCode).toBe(400);
    expect((await track('TF 1; DROP', 'a@example.com', uniqueIp())).statusCode).toBe(400);
    expect((await track('TF-1', 'nope', uniqueIp())).statusCode).toBe(400);
  });

  it('brakes guessing: past 20 failures from one address every lookup from it is 429 with Retry-After', async () => {
    const { number, email } = await newOrder();
    const ip = uniqueIp();
    for (let i = 0; i < 20; i += 1) {
      expect((await track(uniqueOrderNumber(), uniqueEmail(), ip)).statusCode).toBe(404);
    }
    const blocked = await track(number, email, ip);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('rate_limited');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await track(number, email, uniqueIp())).statusCode).toBe(200);
  });

  it('brakes guessing e-mails for one number from one address, the same way whether the number exists or not', async () => {
    const { number, email } = await newOrder();
    const unknown = uniqueOrderNumber();
    const guesser = uniqueIp();
    for (let i = 0; i < 10; i += 1) {
      expect((await track(number, uniqueEmail(), guesser)).statusCode).toBe(404);
      expect((await track(unknown, uniqueEmail(), guesser)).statusCode).toBe(404);
    }
    const existing = await track(number, email, guesser);
    const missing = await track(unknown, uniqueEmail(), guesser);
    expect(existing.statusCode).toBe(429);
    expect(missing.statusCode).toBe(429);
    expect(existing.body).toBe(missing.body);
  });

  it('lets the customer track an order that strangers failed on from many addresses (no lock per number)', async () => {
    const { number, email } = await newOrder();
    for (let i = 0; i < 15; i += 1) expect((await track(number, uniqueEmail(), uniqueIp())).statusCode).toBe(404);
    expect((await track(number, email, uniqueIp())).statusCode).toBe(200);
  });

  it('gives a tracking token that authorises the live subscription to that order only', async () => {
    const a = await newOrder();
    const b = await newOrder();
    const { trackingToken } = (await track(a.number, a.email, uniqueIp())).json().order;
    expect(await authorizeOrderSubscription(ctx.testDb.db, a.number, trackingToken)).toMatchObject({ number: a.number });
    expect(await authorizeOrderSubscription(ctx.testDb.db, b.number, trackingToken)).toBeNull();
    expect(await authorizeOrderSubscription(ctx.testDb.db, a.number, undefined)).toBeNull();
  });
});

describe('findOrderForTicket', () => {
  it('returns the linked order only when it was placed with the ticket e-mail', async () => {
    const number = uniqueOrderNumber();
    const email = uniqueEmail();
    await postOrder({ number, email, status: 'preparing', updatedAt: minutesAgo(2) });
    const mine = await createTicketViaApi(ctx.app, { email, orderNumber: number.toLowerCase() });
    const someoneElse = await createTicketViaApi(ctx.app, { email: uniqueEmail(), orderNumber: number });
    const none = await createTicketViaApi(ctx.app, { email });
    expect(await findOrderForTicket(ctx.testDb.db, mine.ticket)).toMatchObject({ number, email, status: 'preparing' });
    expect(await findOrderForTicket(ctx.testDb.db, someoneElse.ticket)).toBeNull();
    expect(await findOrderForTicket(ctx.testDb.db, none.ticket)).toBeNull();
  });
});

describe('GET /api/agent/tickets/:id (linked order)', () => {
  it('shows the agent the order named on the ticket when its e-mail is the ticket’s, and null otherwise', async () => {
    const number = uniqueOrderNumber();
    const email = uniqueEmail();
    await postOrder({ number, email, status: 'ready', updatedAt: minutesAgo(2), note: 'table 4' });
    const mine = await createTicketViaApi(ctx.app, { email, orderNumber: number });
    const stranger = await createTicketViaApi(ctx.app, { email: uniqueEmail(), orderNumber: number });
    const { cookie } = await createLoggedInAgent(ctx.app);
    const res = await ctx.app.inject({ url: `/api/agent/tickets/${mine.ticket.id}`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json().order).toMatchObject({ number, email, status: 'ready', events: [{ status: 'ready', note: 'table 4' }] });
    const other = await ctx.app.inject({ url: `/api/agent/tickets/${stranger.ticket.id}`, headers: { cookie } });
    expect(other.json().order).toBeNull();
  });
});

describe('isAllowedTransition', () => {
  it('allows forward moves, skipping steps, and cancelling unfinished orders; never going back or leaving a final status', () => {
    expect(isAllowedTransition('received', 'preparing')).toBe(true);
    expect(isAllowedTransition('received', 'out_for_delivery')).toBe(true);
    expect(isAllowedTransition('ready', 'cancelled')).toBe(true);
    expect(isAllowedTransition('ready', 'ready')).toBe(true);
    expect(isAllowedTransition('ready', 'preparing')).toBe(false);
    expect(isAllowedTransition('delivered', 'cancelled')).toBe(false);
    expect(isAllowedTransition('cancelled', 'received')).toBe(false);
  });
});

describe('seedDemoOrders', () => {
  const own: { db?: TestDb } = {};
  afterAll(async () => {
    await own.db?.cleanup();
  });

  it('loads the documented demo orders once, with their history, trackable with the demo e-mails', async () => {
    own.db = await createTestDb();
    const app = await buildApp({ db: own.db.db, config: testConfig() });
    try {
      expect(await seedDemoOrders(own.db.db)).toBe(true);
      expect(await seedDemoOrders(own.db.db)).toBe(false);
      for (const demo of DEMO_ORDERS) {
        const res = await app.inject({ url: `/api/orders/track?number=${demo.number}&email=${demo.email}` });
        expect(res.statusCode).toBe(200);
        expect(res.json().order.events.map((e: { status: string }) => e.status)).toEqual(demo.history.map((h) => h.status));
      }
      const sarah = await app.inject({ url: '/api/orders/track?number=TF-1002&email=sarah.dupont@example.com' });
      expect(sarah.json().order).toMatchObject({ status: 'out_for_delivery', eta: expect.any(String) });
    } finally {
      await app.close();
    }
  });
});
