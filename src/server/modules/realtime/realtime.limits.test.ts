import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, type ClientOptions } from 'ws';
import { QUEUE_CHANNEL, REALTIME_CLOSE, ticketChannel, type ServerFrame } from '../../../contracts/realtime.ts';
import { buildApp } from '../../app.ts';
import type { Config } from '../../config.ts';
import { createTicketViaApi, uniqueEmail } from '../../test/factories.ts';
import { testConfig } from '../../test/test-app.ts';
import { createTestDb, type TestDb } from '../../test/test-db.ts';
import type { SessionAgent } from '../agents/index.ts';
import { appendMessage, newTicketToken } from '../tickets/index.ts';
import { publishTicketTokenRevoked } from '../../events/bus.ts';
import { createRealtimeClient } from '../../../web/lib/realtime-client.ts';
import type { HubLimits } from './realtime.hub.ts';
import { TestSocket, realtimeUrl } from '../../test/test-socket.ts';

// The attacks of issue 13 on the WebSocket endpoint, each performed over real sockets.

const PUBLIC_URL = 'https://support.tasty.example';
const WIDGET_SITE = 'https://restaurant.example';
const ALICE: SessionAgent = { id: randomUUID(), email: 'alice@tasty.example', name: 'Alice', role: 'agent' };
let resolveCalls = 0;

let testDb: TestDb;
const apps: FastifyInstance[] = [];
const sockets: TestSocket[] = [];

beforeAll(async () => {
  testDb = await createTestDb();
});

afterAll(async () => {
  for (const s of sockets) s.ws.terminate();
  for (const app of apps) await app.close();
  await testDb?.cleanup();
});

async function startApp(config: Partial<Config>, limits: Partial<HubLimits> = {}, sweepMs?: number) {
  const app = await buildApp({
    db: testDb.db,
    config: testConfig({ publicUrl: PUBLIC_URL, allowedOrigins: [WIDGET_SITE], ...config }),
    realtime: {
      // Test seam: one fixed agent behind `sid=alice`, and a count of the session look-ups made.
      resolveAgent: async (_db, cookie) => {
        resolveCalls += 1;
        return cookie === 'sid=alice' ? ALICE : null;
      },
      limits,
      sweepMs,
    },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  apps.push(app);
  return app;
}

async function open(app: FastifyInstance, options: ClientOptions = {}) {
  const socket = await TestSocket.open(realtimeUrl(app), options);
  sockets.push(socket);
  return socket;
}

/** A handshake the server refuses: its status, Retry-After and JSON body. */
function refusal(app: FastifyInstance, options: ClientOptions = {}) {
  return new Promise<{ status: number; retryAfter: string | undefined; body: { error: { code: string; message: string } } }>(
    (resolve, reject) => {
      const ws = new WebSocket(realtimeUrl(app), options);
      ws.once('open', () => {
        ws.terminate();
        reject(new Error('the handshake was accepted'));
      });
      ws.once('unexpected-response', (_req, res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'], body: JSON.parse(text) }));
      });
      ws.once('error', (err) => reject(err));
    },
  );
}

function forwardedFor(address: string, extra: Record<string, string> = {}): ClientOptions {
  return { headers: { 'x-forwarded-for': address, ...extra } };
}

async function until(condition: () => boolean, what: string) {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const port = (app: FastifyInstance) => (app.server.address() as { port: number }).port;

describe('WebSocket connection caps (one address must not take the server down)', () => {
  const PER_ADDRESS = 20;
  let app: FastifyInstance;
  beforeAll(async () => {
    // Behind a proxy on the loopback: X-Forwarded-For names the client, as in production behind nginx.
    app = await startApp({ trustProxy: ['127.0.0.1'], wsMaxConnectionsPerIp: PER_ADDRESS, wsMaxConnections: 1000 });
  });

  it('refuses sockets past the per-address cap with 429 before any session look-up, while HTTP and other addresses work', async () => {
    const attacker = '127.0.0.10';
    const held = await Promise.all(Array.from({ length: PER_ADDRESS }, () => open(app, forwardedFor(attacker))));
    expect(app.realtimeConnections.count(attacker)).toBe(PER_ADDRESS);

    const lookupsBefore = resolveCalls;
    const refused = await Promise.all(Array.from({ length: 30 }, () => refusal(app, forwardedFor(attacker, { cookie: 'sid=alice' }))));
    for (const r of refused) {
      expect(r.status).toBe(429);
      expect(Number(r.retryAfter)).toBeGreaterThan(0);
      expect(r.body.error.code).toBe('rate_limited');
    }
    // Refused before the session was looked up: the cap costs the server no database work.
    expect(resolveCalls).toBe(lookupsBefore);
    expect(app.realtimeConnections.count(attacker)).toBe(PER_ADDRESS);

    const health = await fetch(`http://127.0.0.1:${port(app)}/healthz`);
    expect(health.status).toBe(200);
    const created = await fetch(`http://127.0.0.1:${port(app)}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': attacker },
      body: JSON.stringify({ email: uniqueEmail(), message: 'Ma commande est en retard' }),
    });
    expect(created.status).toBe(201);
    const { ticket, token } = (await created.json()) as { ticket: { id: string }; token: string };

    const neighbour = await open(app, forwardedFor('127.0.0.11'));
    await neighbour.subscribe(ticketChannel(ticket.id), { token });

    // A closed socket gives its slot back.
    await held[0]!.close();
    await until(() => app.realtimeConnections.count(attacker) === PER_ADDRESS - 1, 'the slot to be released');
    await open(app, forwardedFor(attacker));
    await Promise.all(held.map((s) => s.close()));
    await until(() => app.realtimeConnections.count(attacker) === 1, 'every slot to be released');
  });
});

describe('WebSocket connection caps without a trusted proxy', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await startApp({ trustProxy: false, wsMaxConnectionsPerIp: 3, wsMaxConnections: 5 });
  });

  it('ignores a forged X-Forwarded-For, counts each source address, and answers 503 past the total cap', async () => {
    for (const forged of ['127.0.0.21', '127.0.0.22', '127.0.0.23']) await open(app, forwardedFor(forged));
    const spoofed = await refusal(app, forwardedFor('127.0.0.24'));
    expect(spoofed.status).toBe(429);
    expect(app.realtimeConnections.count('127.0.0.1')).toBe(3);

    // Another source address (a second loopback address) is another client.
    await open(app, { localAddress: '127.0.0.2' });
    await open(app, { localAddress: '127.0.0.2' });
    const full = await refusal(app, { localAddress: '127.0.0.3' });
    expect(full.status).toBe(503);
    expect(full.body.error.code).toBe('unavailable');
    expect(Number(full.retryAfter)).toBeGreaterThan(0);
  });
});

describe('idle sockets without an agent', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await startApp({ wsIdleSeconds: 0.5 });
  });

  it('closes an anonymous socket that follows nothing, keeps a subscribed one and an agent\'s', async () => {
    const { ticket, token } = await createTicketViaApi(app);
    const subscribed = await open(app);
    await subscribed.subscribe(ticketChannel(ticket.id), { token });
    const agent = await open(app, { headers: { cookie: 'sid=alice' } });
    const idle = await open(app);
    // One that tried with a wrong token has still followed nothing.
    const refused = await open(app);
    await expect(refused.subscribe(ticketChannel(ticket.id), { token: 'not-the-token' })).rejects.toMatchObject({ code: 'not_found' });

    expect(await idle.whenClosed()).toBe(REALTIME_CLOSE.idle);
    expect(await refused.whenClosed()).toBe(REALTIME_CLOSE.idle);
    // Two more idle periods: the subscribed and the agent's sockets are still there.
    await new Promise((r) => setTimeout(r, 1200));
    expect(subscribed.closeCode).toBeNull();
    expect(agent.closeCode).toBeNull();
    subscribed.send({ type: 'ping' });
    await subscribed.waitFor((f) => f.type === 'pong');

    // Unsubscribing from everything starts the idle clock again.
    subscribed.send({ type: 'unsubscribe', channel: ticketChannel(ticket.id) });
    expect(await subscribed.whenClosed()).toBe(REALTIME_CLOSE.idle);
  });
});

describe('agent sockets from a site in ALLOWED_ORIGINS (WebSocket hijacking)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await startApp({});
  });

  it("ignores the agent's cookie: queue and token-less ticket subscriptions are refused, token ones work", async () => {
    const { ticket, token } = await createTicketViaApi(app);
    const hijack = await open(app, { headers: { origin: WIDGET_SITE, cookie: 'sid=alice' } });
    await expect(hijack.subscribe(QUEUE_CHANNEL)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(hijack.subscribe(ticketChannel(ticket.id))).rejects.toMatchObject({ code: 'unauthorized' });
    await hijack.subscribe(ticketChannel(ticket.id), { token });

    // The dashboard itself (the server's own origin) is the agent.
    const dashboard = await open(app, { headers: { origin: PUBLIC_URL, cookie: 'sid=alice' } });
    await dashboard.subscribe(QUEUE_CHANNEL);
    await dashboard.subscribe(ticketChannel(ticket.id));
  });
});

describe('re-subscription amplification', () => {
  const BUDGET = 200_000;
  const LONG = 'x'.repeat(2000);
  let app: FastifyInstance;

  async function ticketWithMessages(count: number) {
    const { ticket, token } = await createTicketViaApi(app);
    await testDb.db.transaction(async (tx) => {
      for (let i = 0; i < count; i++) await appendMessage(tx, { ticketId: ticket.id, authorType: 'agent', body: `${i} ${LONG}` });
    });
    return { ticket, token };
  }

  beforeAll(async () => {
    app = await startApp({}, { subscribeBurst: 6, subscribeRefillMs: 60_000, backfillBytesPerWindow: BUDGET, backfillWindowMs: 60_000 });
  });

  it('refuses re-subscriptions with since 0 once the socket and the address spent their budget: bytes sent stay bounded', async () => {
    const tickets = await Promise.all([ticketWithMessages(100), ticketWithMessages(100)]);
    const attackers = await Promise.all(Array.from({ length: 4 }, () => open(app)));
    // Each socket re-subscribes from the start, 10 rounds over both tickets (old code: 80 full backlogs, 17 MB).
    for (let round = 0; round < 10; round++) {
      for (const s of attackers) {
        for (const { ticket, token } of tickets) s.send({ type: 'subscribe', channel: ticketChannel(ticket.id), token, since: 0 });
      }
    }
    const answered = (s: TestSocket) => s.frames.filter((f) => f.type === 'subscribed' || f.type === 'error').length;
    await until(() => attackers.every((s) => answered(s) === 20), 'every subscribe to be answered');
    // Let whatever backlog was under way finish before counting.
    await new Promise((r) => setTimeout(r, 500));

    const errors = attackers.flatMap((s) => s.frames.filter((f): f is Extract<ServerFrame, { type: 'error' }> => f.type === 'error'));
    expect(errors.length).toBeGreaterThanOrEqual(4 * 14);
    expect(new Set(errors.map((e) => e.code))).toEqual(new Set(['rate_limited']));
    const bytes = attackers
      .flatMap((s) => s.frames)
      .filter((f) => f.type === 'message.created')
      .reduce((sum, f) => sum + Buffer.byteLength(JSON.stringify(f)), 0);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(BUDGET * 1.1);
  });
});

describe('paged backlog', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    // A budget of about 40 long messages a 300 ms window: the backlog below needs several windows.
    app = await startApp({}, { backfillBytesPerWindow: 100_000, backfillWindowMs: 300, backlogPage: 25 }, 100);
  });

  it('a reconnecting web client gets every message once, in order, though its backlog spans several budget windows', async () => {
    const { ticket, token } = await createTicketViaApi(app);
    const long = 'y'.repeat(2000);
    await testDb.db.transaction(async (tx) => {
      for (let i = 0; i < 150; i++) await appendMessage(tx, { ticketId: ticket.id, authorType: 'agent', body: `${i} ${long}` });
    });
    const opened: WebSocket[] = [];
    class Recording extends WebSocket {
      constructor(url: string) {
        super(url);
        opened.push(this);
      }
    }
    const received: number[] = [];
    const client = createRealtimeClient({
      url: realtimeUrl(app),
      WebSocketImpl: Recording as unknown as typeof globalThis.WebSocket,
      reconnectBaseMs: 20,
      reconnectMaxMs: 200,
    });
    client.subscribe(ticketChannel(ticket.id), { token, since: 0, onMessage: (m) => received.push(m.seq) });
    await until(() => received.length >= 30, 'the first messages');
    // The link drops: the client resumes from its last seq; the server paces it (rate_limited, then pages).
    opened[0]!.terminate();
    await until(() => received.length >= 151, 'the whole backlog');
    client.close();
    expect(opened.length).toBeGreaterThanOrEqual(2);
    expect(received).toEqual(Array.from({ length: 151 }, (_, i) => i + 1));
  });
});

describe('a revoked ticket token', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await startApp({});
  });

  it('ends the subscriptions taken with it; the new token still follows the ticket', async () => {
    const { ticket, token } = await createTicketViaApi(app, { email: uniqueEmail() });
    const channel = ticketChannel(ticket.id);
    const old = await open(app);
    await old.subscribe(channel, { token });

    // What the tickets module does when it issues a new token (SQL here: the test plays that module).
    const fresh = newTicketToken();
    await testDb.db.transaction(async (tx) => {
      await tx.query('UPDATE support_requests SET token_hash = $2 WHERE id = $1', [ticket.id, fresh.hash]);
      await publishTicketTokenRevoked(tx, ticket.id);
    });
    const refused = await old.waitFor((f) => f.type === 'error' && f.channel === channel);
    expect(refused).toMatchObject({ code: 'unauthorized' });

    const current = await open(app);
    await current.subscribe(channel, { token: fresh.token });
    await testDb.db.transaction((tx) => appendMessage(tx, { ticketId: ticket.id, authorType: 'agent', body: 'Après révocation' }));
    await current.waitFor((f) => f.type === 'message.created' && f.message.body === 'Après révocation');
    // The old socket is not told: a ping answered after the message proves it was not sent.
    const from = old.frames.length;
    old.send({ type: 'ping' });
    await old.waitFor((f) => f.type === 'pong', 20_000, from);
    expect(old.frames.some((f) => f.type === 'message.created')).toBe(false);
  });
});

describe('strict client frames', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await startApp({});
  });

  it('answers invalid_request to a frame with an unknown field, and does not act on it', async () => {
    const { ticket, token } = await createTicketViaApi(app);
    const channel = ticketChannel(ticket.id);
    const s = await open(app);
    s.send({ type: 'subscribe', channel, token, admin: true });
    expect(await s.waitFor((f) => f.type === 'error')).toMatchObject({ code: 'invalid_request', channel });
    s.send({ type: 'ping', extra: 1 });
    await until(() => s.frames.filter((f) => f.type === 'error').length === 2, 'the second error');
    expect(s.frames[1]).toMatchObject({ type: 'error', code: 'invalid_request' });
    // A well-formed ping is answered: the two frames before it were read and refused, not delayed.
    s.send({ type: 'ping' });
    await s.waitFor((f) => f.type === 'pong');
    expect(s.frames.some((f) => f.type === 'subscribed')).toBe(false);
  });
});
