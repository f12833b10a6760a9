import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REALTIME_CLOSE, REALTIME_LIMITS, ticketChannel, type ServerFrame } from '../../../contracts/realtime.ts';
import { ticketSchema } from '../../../contracts/tickets.ts';
import { buildApp } from '../../app.ts';
import type { Db } from '../../db/index.ts';
import { createTicketViaApi, uniqueEmail } from '../../test/factories.ts';
import { testConfig } from '../../test/test-app.ts';
import { createTestDb, type TestDb } from '../../test/test-db.ts';
import type { SessionAgent } from '../agents/index.ts';
import { appendMessage, encodeCursor } from '../tickets/index.ts';
import { BUS_EVENTS, publishEvent } from '../../events/bus.ts';
import { TestSocket, realtimeUrl } from '../../test/test-socket.ts';

const PUBLIC_URL = 'https://support.tasty.example';
const AGENTS: Record<string, SessionAgent> = {
  'sid=alice': { id: randomUUID(), email: 'alice@tasty.example', name: 'Alice', role: 'agent' },
  'sid=bob': { id: randomUUID(), email: 'bob@tasty.example', name: 'Bob', role: 'admin' },
};

/**
 * A Db whose backlog read (listMessagesAfter) can run a test hook first or after: lets a test commit a
 * message exactly between a subscription's registration and its snapshot, or right after the snapshot.
 */
function hookableDb(inner: Db) {
  const hooks: { beforeBacklog: (() => Promise<void>) | null; afterBacklog: (() => Promise<void>) | null } = {
    beforeBacklog: null,
    afterBacklog: null,
  };
  const db: Db = Object.create(inner);
  db.query = async (sql: string, params?: unknown[]) => {
    const isBacklog = /FROM support_messages WHERE request_id = \$1 AND seq > \$2/.test(sql);
    const before = isBacklog ? hooks.beforeBacklog : null;
    const after = isBacklog ? hooks.afterBacklog : null;
    if (before) {
      hooks.beforeBacklog = null;
      await before();
    }
    const result = await inner.query(sql, params);
    if (after) {
      hooks.afterBacklog = null;
      await after();
    }
    return result as never;
  };
  return { db, hooks };
}

let testDb: TestDb;
let app: FastifyInstance;
let url: string;
let hooks: ReturnType<typeof hookableDb>['hooks'];
const sockets: TestSocket[] = [];

beforeAll(async () => {
  testDb = await createTestDb();
  const wrapped = hookableDb(testDb.db);
  hooks = wrapped.hooks;
  app = await buildApp({
    db: wrapped.db,
    config: testConfig({ publicUrl: PUBLIC_URL, allowedOrigins: ['https://restaurant.example'] }),
    realtime: {
      // Test seam: the agents module resolves real session cookies; here two fixed agents.
      resolveAgent: async (_db, cookie) => AGENTS[cookie ?? ''] ?? null,
      limits: { heartbeatMs: 1000, maxBufferedBytes: 256 * 1024 },
    },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = realtimeUrl(app);
});

afterAll(async () => {
  for (const s of sockets) s.ws.terminate();
  await app?.close();
  await testDb?.cleanup();
});

async function connect(options: { cookie?: string; origin?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  if (options.origin) headers.origin = options.origin;
  const socket = await TestSocket.open(url, { headers });
  sockets.push(socket);
  return socket;
}

async function sendOverHttp(ticketId: string, token: string, body = 'Un message') {
  const res = await fetch(`http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/tickets/${ticketId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ body, clientId: randomUUID() }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { message: { id: string; seq: number } }).message;
}

async function agentReply(ticketId: string, body = 'Une réponse') {
  return testDb.db.transaction(async (tx) => (await appendMessage(tx, { ticketId, authorType: 'agent', body })).message);
}

describe('GET /api/realtime: messages', () => {
  it('delivers a message sent over HTTP to every subscriber of the ticket, once', async () => {
    const { ticket, token } = await createTicketViaApi(app);
    const channel = ticketChannel(ticket.id);
    const a = await connect();
    const b = await connect({ cookie: 'sid=alice' });
    await a.subscribe(channel, { token });
    await b.subscribe(channel);
    const sent = await sendOverHttp(ticket.id, token, 'Ma pizza est froide');
    for (const s of [a, b]) {
      const frame = await s.waitFor((f) => f.type === 'message.created' && f.message.id === sent.id);
      expect(frame).toMatchObject({ channel, message: { body: 'Ma pizza est froide', author_type: 'user', seq: 2, request_id: ticket.id } });
    }
    await agentReply(ticket.id);
    expect(await a.waitForMessages(channel, 2)).toEqual([2, 3]);
    expect(await b.waitForMessages(channel, 2)).toEqual([2, 3]);
  });

  it('shows client_id only to the side that wrote the message, live and in the backlog', async () => {
    const { ticket, token } = await createTicketViaApi(app);
    const channel = ticketChannel(ticket.id);
    const customer = await connect();
    const agent = await connect({ cookie: 'sid=alice' });
    await customer.subscribe(channel, { token, since: 0 });
    await agent.subscribe(channel, { since: 0 });
    const sent = await sendOverHttp(ticket.id, token, 'Mon message');
    const reply = await testDb.db.transaction(
      async (tx) => (await appendMessage(tx, { ticketId: ticket.id, authorType: 'agent', body: 'Ma réponse', clientId: randomUUID() })).message,
    );
    const seen = async (s: TestSocket, id: string) =>
      ((await s.waitFor((f) => f.type === 'message.created' && f.message.id === id)) as Extract<ServerFrame, { type: 'message.created' }>).message.client_id;
    expect(await seen(customer, sent.id)).not.toBeNull();
    expect(await seen(agent, sent.id)).toBeNull();
    expect(await seen(agent, reply.id)).toBe(reply.client_id);
    expect(await seen(customer, reply.id)).toBeNull();
    // The opening message (backlog, since 0) too.
    const opening = (s: TestSocket) =>
      (s.frames.find((f) => f.type === 'message.created' && f.message.seq === 1) as Extract<ServerFrame, { type: 'message.created' }>).message;
    expect(opening(agent).client_id).toBeNull();
  });

  it('refuses a subscription with another ticket’s token, or none, and sends that ticket nothing', async () => {
    const mine = await createTicketViaApi(app);
    const theirs = await createTicketViaApi(app);
    const s = await connect();
    await expect(s.subscribe(ticketChannel(theirs.ticket.id), { token: mine.token })).rejects.toMatchObject({ code: 'not_found' });
    await expect(s.subscribe(ticketChannel(theirs.ticket.id))).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(s.subscribe(ticketChannel(randomUUID()), { token: mine.token })).rejects.toMatchObject({ code: 'not_found' });
    await expect(s.subscribe('queue')).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(s.subscribe('ticket:not-a-uuid', { token: mine.token })).rejects.toMatchObject({ code: 'invalid_request' });
    await s.subscribe(ticketChannel(mine.ticket.id), { token: mine.token });
    await sendOverHttp(theirs.ticket.id, theirs.token);
    // Per listener, NOTIFYs arrive in commit order: once the later message of my ticket arrives,
    // the earlier one of theirs would have too.
    await sendOverHttp(mine.ticket.id, mine.token);
    await s.waitForMessages(ticketChannel(mine.ticket.id), 1);
    expect(s.frames.filter((f) => 'channel' in f && f.channel === ticketChannel(theirs.ticket.id) && f.type !== 'error')).toEqual([]);
  });

  it('accepts an upper-case ticket id and answers on the canonical channel name', async () => {
    const { ticket, token } = await createTicketViaApi(app);
    const s = await connect();
    s.send({ type: 'subscribe', channel: `ticket:${ticket.id.toUpperCase()}`, token });
    await s.waitFor((f) => f.type === 'subscribed' && f.channel === ticketChannel(ticket.id));
  });
});

describe('GET /api/realtime: resume', () => {
  it('after a dropped connection, resumes with since and loses and duplicates nothing', async () => {
    const { ticket, token } = await createTicketViaApi(app);
    const channel = ticketChannel(ticket.id);
    const first = await connect();
    await first.subscribe(channel, { token, since: 0 });
    expect(await first.waitForMessages(channel, 1)).toEqual([1]);
    await sendOverHttp(ticket.id, token);
    expect(await first.waitForMessages(channel, 2)).toEqual([1, 2]);
    first.ws.terminate();
    await first.whenClosed();

    // Written while the customer is offline.
    await sendOverHttp(ticket.id, token, 'offline 1');
    await agentReply(ticket.id, 'offline 2');
    await sendOverHttp(ticket.id, token, 'offline 3');

    const again = await connect();
    await again.subscribe(channel, { token, since: 2 });
    expect(await again.waitForMessages(channel, 3)).toEqual([3, 4, 5]);
    await agentReply(ticket.id, 'live');
    expect(await again.waitForMessages(channel, 4)).toEqual([3, 4, 5, 6]);
    const bodies = again.frames.flatMap((f) => (f.type === 'message.created' ? [f.message.body] : []));
    expect(bodies).toEqual(['offline 1', 'offline 2', 'offline 3', 'live']);
  });

  it('accepts since as a message id, a messages cursor or digits', async () => {
    const { ticket, token } = await createTicketViaApi(app);
    const channel = ticketChannel(ticket.id);
    const second = await sendOverHttp(ticket.id, token);
    await sendOverHttp(ticket.id, token);
    for (const since of [second.id, encodeCursor(2), '2']) {
      const s = await connect();
      await s.subscribe(channel, { token, since });
      expect(await s.waitForMessages(channel, 1)).toEqual([3]);
      await s.close();
    }
    const s = await connect();
    await expect(s.subscribe(channel, { token, since: randomUUID() })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(s.subscribe(channel, { token, since: 'not a cursor' })).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('delivers once a message committed after registration but before the backlog snapshot', async () => {
    const { ticket, token } = await createTicketViaApi(app);
    const channel = ticketChannel(ticket.id);
    hooks.beforeBacklog = async () => {
      await agentReply(ticket.id, 'between');
    };
    const s = await connect();
    await s.subscribe(channel, { token, since: 0 });
    expect(await s.waitForMessages(channel, 2)).toEqual([1, 2]);
    await agentReply(ticket.id, 'after');
    expect(await s.waitForMessages(channel, 3)).toEqual([1, 2, 3]);
  });

  it('delivers once a message committed right after the backlog snapshot', async () => {
    const { ticket, token } = await createTicketViaApi(app);
    const channel = ticketChannel(ticket.id);
    hooks.afterBacklog = async () => {
      await agentReply(ticket.id, 'just after');
    };
    const s = await connect();
    await s.subscribe(channel, { token, since: 0 });
    expect(await s.waitForMessages(channel, 2)).toEqual([1, 2]);
    await agentReply(ticket.id, 'later');
    expect(await s.waitForMessages(channel, 3)).toEqual([1, 2, 3]);
  });

  it('sends strictly increasing seqs under messages racing a subscription', async () => {
    const { ticket, token } = await createTicketViaApi(app);
    const channel = ticketChannel(ticket.id);
    const s = await connect();
    const writes = Array.from({ length: 10 }, (_, i) => agentReply(ticket.id, `race ${i}`));
    await s.subscribe(channel, { token, since: 0 });
    await Promise.all(writes);
    await agentReply(ticket.id, 'last');
    expect(await s.waitForMessages(channel, 12)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });
});

describe('GET /api/realtime: typing and presence', () => {
  it('relays typing to the other side of the same ticket only', async () => {
    const one = await createTicketViaApi(app);
    const two = await createTicketViaApi(app);
    const c1 = await connect();
    const c2 = await connect();
    const agent = await connect({ cookie: 'sid=alice' });
    await c1.subscribe(ticketChannel(one.ticket.id), { token: one.token });
    await c2.subscribe(ticketChannel(two.ticket.id), { token: two.token });
    await agent.subscribe(ticketChannel(one.ticket.id));
    await agent.subscribe(ticketChannel(two.ticket.id));

    c1.send({ type: 'typing', channel: ticketChannel(one.ticket.id), typing: true });
    const heard = await agent.waitFor((f) => f.type === 'typing');
    expect(heard).toEqual({ type: 'typing', channel: ticketChannel(one.ticket.id), author_type: 'user', typing: true });

    agent.send({ type: 'typing', channel: ticketChannel(one.ticket.id), typing: true });
    await c1.waitFor((f) => f.type === 'typing' && f.author_type === 'agent' && f.typing);
    // A later typing on ticket two reaches c2; the bus is ordered, so c2 would have heard ticket one's by then.
    agent.send({ type: 'typing', channel: ticketChannel(two.ticket.id), typing: true });
    await c2.waitFor((f) => f.type === 'typing');
    expect(c2.frames.filter((f) => f.type === 'typing')).toEqual([
      { type: 'typing', channel: ticketChannel(two.ticket.id), author_type: 'agent', typing: true },
    ]);
    // Nobody hears their own side.
    expect(c1.frames.filter((f) => f.type === 'typing' && f.author_type === 'user')).toEqual([]);

    c2.send({ type: 'typing', channel: ticketChannel(one.ticket.id), typing: true });
    const refused = await c2.waitFor((f) => f.type === 'error');
    expect(refused).toMatchObject({ code: 'forbidden', channel: ticketChannel(one.ticket.id) });
  });

  it('stops a customer’s typing indicator when their socket closes', async () => {
    const { ticket, token } = await createTicketViaApi(app);
    const channel = ticketChannel(ticket.id);
    const customer = await connect();
    const agent = await connect({ cookie: 'sid=bob' });
    await customer.subscribe(channel, { token });
    await agent.subscribe(channel);
    customer.send({ type: 'typing', channel, typing: true });
    await agent.waitFor((f) => f.type === 'typing' && f.typing);
    await customer.close();
    await agent.waitFor((f) => f.type === 'typing' && !f.typing);
  });

  it('counts the distinct agents viewing a ticket', async () => {
    const { ticket, token } = await createTicketViaApi(app);
    const channel = ticketChannel(ticket.id);
    const customer = await connect();
    await customer.subscribe(channel, { token });
    await customer.waitFor((f) => f.type === 'presence' && f.agents === 0);
    const alice1 = await connect({ cookie: 'sid=alice' });
    await alice1.subscribe(channel);
    await customer.waitFor((f) => f.type === 'presence' && f.agents === 1);
    const alice2 = await connect({ cookie: 'sid=alice' });
    await alice2.subscribe(channel);
    const bob = await connect({ cookie: 'sid=bob' });
    await bob.subscribe(channel);
    await customer.waitFor((f) => f.type === 'presence' && f.agents === 2);
    let from = customer.frames.length;
    await bob.close();
    await customer.waitFor((f) => f.type === 'presence' && f.agents === 1, 10_000, from);
    from = customer.frames.length;
    await alice1.close();
    await alice2.close();
    await customer.waitFor((f) => f.type === 'presence' && f.agents === 0, 10_000, from);
    // While Alice still had a socket on the ticket the count stayed at one: no frame until it went to zero.
    expect(customer.frames.slice(from).filter((f) => f.type === 'presence')).toEqual([{ type: 'presence', channel, agents: 0 }]);
  });
});

describe('GET /api/realtime: agents', () => {
  it('sends the queue ticket.created and ticket.updated, and customers only the contract’s ticket shape', async () => {
    const queue = await connect({ cookie: 'sid=alice' });
    await queue.subscribe('queue');
    const { ticket, token } = await createTicketViaApi(app);
    const created = await queue.waitFor((f) => f.type === 'ticket.created' && f.ticket.id === ticket.id);
    expect(created).toMatchObject({ channel: 'queue', ticket: { id: ticket.id, status: 'open' } });

    const customer = await connect();
    await customer.subscribe(ticketChannel(ticket.id), { token });
    await testDb.db.transaction(async (tx) => {
      await tx.query(`UPDATE support_requests SET status = 'pending', updated_at = now() WHERE id = $1`, [ticket.id]);
      await publishEvent(tx, { type: BUS_EVENTS.ticketUpdated, ticketId: ticket.id });
    });
    const updated = await customer.waitFor((f) => f.type === 'ticket.updated');
    if (updated.type !== 'ticket.updated') throw new Error('unreachable');
    // Every field of the contract's ticket, the optional ones (merged_into: only on a merged ticket) aside.
    const always = Object.entries(ticketSchema.shape).filter(([, field]) => !field.safeParse(undefined).success);
    expect(Object.keys(updated.ticket).sort()).toEqual(always.map(([key]) => key).sort());
    expect(updated.ticket.status).toBe('pending');
    await queue.waitFor((f) => f.type === 'ticket.updated' && f.ticket.id === ticket.id && f.ticket.status === 'pending');
  });

  it('closes every socket of a revoked agent and no other', async () => {
    const { ticket, token } = await createTicketViaApi(app);
    const alice = await connect({ cookie: 'sid=alice' });
    const bob = await connect({ cookie: 'sid=bob' });
    const customer = await connect();
    await alice.subscribe('queue');
    await bob.subscribe('queue');
    await customer.subscribe(ticketChannel(ticket.id), { token });
    await publishEvent(testDb.db, { type: BUS_EVENTS.agentRevoked, agentId: AGENTS['sid=alice']!.id });
    expect(await alice.whenClosed()).toBe(REALTIME_CLOSE.revoked);
    bob.send({ type: 'ping' });
    await bob.waitFor((f) => f.type === 'pong');
    expect(bob.closeCode).toBeNull();
    expect(customer.closeCode).toBeNull();
  });
});

describe('GET /api/realtime: access and robustness', () => {
  it('refuses a handshake from a foreign Origin with 403, and accepts allowed ones', async () => {
    await expect(TestSocket.open(url, { headers: { origin: 'https://evil.example' } })).rejects.toMatchObject({ statusCode: 403 });
    await expect(TestSocket.open(url, { headers: { origin: 'null' } })).rejects.toMatchObject({ statusCode: 403 });
    for (const origin of ['https://restaurant.example', PUBLIC_URL]) {
      const s = await connect({ origin });
      await s.close();
    }
  });

  it('accepts a page of the server itself under the name it was reached by, not only PUBLIC_URL (127.0.0.1 vs localhost)', async () => {
    const port = new URL(url).port;
    // `url` is 127.0.0.1:<port> while PUBLIC_URL names another host: the page at the address npm start prints.
    const s = await connect({ origin: `http://127.0.0.1:${port}` });
    await s.close();
    await expect(TestSocket.open(url, { headers: { origin: `http://127.0.0.1:${Number(port) + 1}` } })).rejects.toMatchObject({ statusCode: 403 });
    await expect(TestSocket.open(url, { headers: { origin: 'http://127.0.0.1.evil.example' } })).rejects.toMatchObject({ statusCode: 403 });
  });

  it('answers 404 to an upgrade on another path, and 400 to a plain GET', async () => {
    await expect(TestSocket.open(url.replace('/api/realtime', '/api/elsewhere'))).rejects.toMatchObject({ statusCode: 404 });
    const res = await app.inject({ url: '/api/realtime' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_request');
  });

  it('answers malformed frames with error frames and keeps the connection', async () => {
    const s = await connect();
    s.send('not json');
    s.send({ type: 'subscribe' });
    s.send({ type: 'launch', channel: 'x' });
    s.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await s.waitFor(() => s.frames.filter((f) => f.type === 'error').length === 4);
    for (const f of s.frames) expect(f).toMatchObject({ type: 'error', code: 'invalid_request' });
    s.send({ type: 'ping' });
    await s.waitFor((f) => f.type === 'pong');
  });

  it('closes a connection whose frame exceeds the size limit', async () => {
    const s = await connect();
    s.send({ type: 'typing', channel: 'x'.repeat(REALTIME_LIMITS.maxFrameBytes), typing: true });
    expect(await s.whenClosed()).toBe(REALTIME_CLOSE.tooLarge);
  });

  it('refuses more subscriptions than the limit on one connection', async () => {
    const agent = await connect({ cookie: 'sid=bob' });
    const tickets = await Promise.all(
      Array.from({ length: REALTIME_LIMITS.maxSubscriptions + 1 }, () => createTicketViaApi(app, { email: uniqueEmail() })),
    );
    for (const t of tickets.slice(0, REALTIME_LIMITS.maxSubscriptions)) await agent.subscribe(ticketChannel(t.ticket.id));
    const last = tickets[REALTIME_LIMITS.maxSubscriptions]!;
    await expect(agent.subscribe(ticketChannel(last.ticket.id))).rejects.toMatchObject({ code: 'invalid_request' });
    agent.send({ type: 'unsubscribe', channel: ticketChannel(tickets[0]!.ticket.id) });
    await agent.waitFor((f) => f.type === 'unsubscribed');
    await agent.subscribe(ticketChannel(last.ticket.id));
  });

  it('drops a connection that stops answering pings', async () => {
    const s = await TestSocket.open(url, { autoPong: false });
    sockets.push(s);
    expect(await s.whenClosed()).toBe(1006);
  });

  it('cuts off a consumer that stops reading instead of buffering without bound', async () => {
    const { ticket, token } = await createTicketViaApi(app);
    // 2,000 messages of 5,000 characters: ten megabytes of backlog, far past any socket buffer.
    await testDb.db.query(
      `WITH n AS (UPDATE support_requests SET last_message_seq = 2001 WHERE id = $1 RETURNING id)
       INSERT INTO support_messages (request_id, author_type, body, seq)
       SELECT n.id, 'agent', repeat('x', 5000), s FROM n, generate_series(2, 2001) AS s`,
      [ticket.id],
    );
    const s = await connect();
    const raw = (s.ws as unknown as { _socket: import('node:net').Socket })._socket;
    await s.subscribe(ticketChannel(ticket.id), { token });
    raw.pause();
    s.send({ type: 'subscribe', channel: ticketChannel(ticket.id), token, since: 0 });
    const before = app.realtimeHub.size;
    await expect.poll(() => app.realtimeHub.size, { timeout: 20_000 }).toBeLessThan(before);
    raw.resume();
    expect(await s.whenClosed()).toBe(1006);
  });

  it('rate-limits a connection flooding frames', async () => {
    const s = await connect();
    for (let i = 0; i <= REALTIME_LIMITS.maxFramesPerWindow; i++) s.send({ type: 'ping' });
    expect(await s.whenClosed()).toBe(REALTIME_CLOSE.rateLimited);
    expect(s.frames.some((f: ServerFrame) => f.type === 'error' && f.code === 'rate_limited')).toBe(true);
  });
});

describe('GET /api/realtime: shutdown', () => {
  it('closes open sockets with 1001 when the app closes', async () => {
    const other = await buildApp({ db: testDb.db, config: testConfig() });
    await other.listen({ port: 0, host: '127.0.0.1' });
    const s = await TestSocket.open(realtimeUrl(other));
    const closing = other.close();
    expect(await s.whenClosed()).toBe(REALTIME_CLOSE.goingAway);
    await closing;
  });
});
