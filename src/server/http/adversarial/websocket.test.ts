import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REALTIME_CLOSE, ticketChannel, type ServerFrame } from '../../../contracts/realtime.ts';
import { buildApp } from '../../app.ts';
import { PostgresDb } from '../../db/postgres.ts';
import { hashSessionId } from '../../modules/agents/session-agent.ts';
import { encodeCursor, hashTicketToken } from '../../modules/tickets/index.ts';
import { TestSocket, realtimeUrl } from '../../test/test-socket.ts';
import { createLoggedInAgent, loginAgent, type TestAgent } from '../../test/agent-factories.ts';
import { createTicketViaApi, sendMessageViaApi } from '../../test/factories.ts';
import { startTcpProxy } from '../../test/tcp-proxy.ts';
import { testConfig } from '../../test/test-app.ts';
import { createTestDb, onPostgres, type TestDb } from '../../test/test-db.ts';

// Real session cookies and the admin API throughout (no resolveAgent seam). Already in realtime.test.ts
// (not repeated): a subscription with another ticket's token or none is refused; malformed frames,
// oversized frames, too many subscriptions, frame floods; a foreign Origin at the handshake.

let testDb: TestDb;
let app: FastifyInstance;
let admin: TestAgent & { cookie: string };
const sockets: TestSocket[] = [];

beforeAll(async () => {
  testDb = await createTestDb();
  app = await buildApp({ db: testDb.db, config: testConfig({ publicUrl: 'http://localhost:3000' }) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  admin = await createLoggedInAgent(app, { role: 'admin' });
});

afterAll(async () => {
  for (const s of sockets) s.ws.terminate();
  await app?.close();
  await testDb?.cleanup();
});

async function connect(target: FastifyInstance = app, cookie?: string) {
  const s = await TestSocket.open(realtimeUrl(target), cookie ? { headers: { cookie } } : {});
  sockets.push(s);
  return s;
}

/** The first error frame about `channel` after `from`. */
async function errorOn(s: TestSocket, channel: string, from = 0) {
  return s.waitFor((f) => f.type === 'error' && f.channel === channel, 20_000, from);
}

/** Frames that carry anything of this ticket (its channel, a message of it, or the ticket itself). */
function framesAbout(s: TestSocket, ticketId: string): ServerFrame[] {
  return s.frames.filter(
    (f) =>
      f.type !== 'error' &&
      (('channel' in f && f.channel === ticketChannel(ticketId)) ||
        ('message' in f && typeof f.message === 'object' && f.message.request_id === ticketId) ||
        ('ticket' in f && f.ticket.id === ticketId)),
  );
}

/** Proves the connection still answers after a refusal. */
async function expectAlive(s: TestSocket) {
  const from = s.frames.length;
  s.send({ type: 'ping' });
  await s.waitFor((f) => f.type === 'pong', 20_000, from);
}

/**
 * Makes the other ticket busy (a customer message, an agent reply, a status change, typing) and waits
 * until an agent watching it received all of it: by then the attacker's socket would have got it too.
 */
async function stirTicket(theirs: { ticket: { id: string }; token: string }, agent: TestAgent & { cookie: string }) {
  const channel = ticketChannel(theirs.ticket.id);
  const witness = await connect(app, agent.cookie);
  await witness.subscribe(channel);
  await sendMessageViaApi(app, theirs.ticket, theirs.token, 'private customer text');
  const headers = { cookie: agent.cookie };
  await app.inject({ method: 'POST', url: `/api/agent/tickets/${theirs.ticket.id}/messages`, headers, payload: { body: 'private agent text' } });
  await app.inject({ method: 'PATCH', url: `/api/agent/tickets/${theirs.ticket.id}`, headers, payload: { status: 'pending' } });
  await witness.waitForMessages(channel, 2);
  await witness.waitFor((f) => f.type === 'ticket.updated' && f.ticket.status === 'pending');
  await witness.close();
}

describe('foreign tickets over WebSocket', () => {
  it('your token on another ticket’s channel: a not_found error frame, and none of that ticket’s events ever', async () => {
    const agent = await createLoggedInAgent(app);
    const mine = await createTicketViaApi(app);
    const theirs = await createTicketViaApi(app);
    const attacker = await connect();
    await attacker.subscribe(ticketChannel(mine.ticket.id), { token: mine.token });
    attacker.send({ type: 'subscribe', channel: ticketChannel(theirs.ticket.id), token: mine.token, since: 0 });
    expect(await errorOn(attacker, ticketChannel(theirs.ticket.id))).toMatchObject({ code: 'not_found' });
    const beforeTyping = attacker.frames.length;
    attacker.send({ type: 'typing', channel: ticketChannel(theirs.ticket.id), typing: true });
    expect(await errorOn(attacker, ticketChannel(theirs.ticket.id), beforeTyping)).toMatchObject({ code: 'forbidden' });

    await stirTicket(theirs, agent);
    // A message on the attacker's own ticket, sent last, arrives: the socket was listening all along.
    await sendMessageViaApi(app, mine.ticket, mine.token, 'mine');
    await attacker.waitForMessages(ticketChannel(mine.ticket.id), 1);
    expect(framesAbout(attacker, theirs.ticket.id)).toEqual([]);
    expect(JSON.stringify(attacker.frames)).not.toContain('private');
  });

  it.each([
    ['a random token', () => randomBytes(32).toString('base64url'), 'not_found'],
    ['the stored hash of the token', (t: string) => hashTicketToken(t), 'not_found'],
    ['the token with one character changed', (t: string) => `${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}`, 'not_found'],
    ['an empty token, without a session', () => '', 'unauthorized'],
  ])('%s: refused, and the ticket’s events never arrive', async (_name, forge, code) => {
    const agent = await createLoggedInAgent(app);
    const theirs = await createTicketViaApi(app);
    const attacker = await connect();
    attacker.send({ type: 'subscribe', channel: ticketChannel(theirs.ticket.id), token: forge(theirs.token) });
    expect(await errorOn(attacker, ticketChannel(theirs.ticket.id))).toMatchObject({ code });
    await stirTicket(theirs, agent);
    await expectAlive(attacker);
    expect(framesAbout(attacker, theirs.ticket.id)).toEqual([]);
  });

  it('an expired e-mailed link token is refused; a live one subscribes', async () => {
    const { ticket } = await createTicketViaApi(app);
    const live = randomBytes(32).toString('base64url');
    const expired = randomBytes(32).toString('base64url');
    await testDb.db.query(
      `INSERT INTO ticket_access_tokens (ticket_id, token_hash, purpose, expires_at)
       VALUES ($1, $2, 'email_link', now() + interval '1 day'), ($1, $3, 'email_link', now() - interval '1 second')`,
      [ticket.id, hashTicketToken(live), hashTicketToken(expired)],
    );
    const s = await connect();
    s.send({ type: 'subscribe', channel: ticketChannel(ticket.id), token: expired });
    expect(await errorOn(s, ticketChannel(ticket.id))).toMatchObject({ code: 'not_found' });
    await s.subscribe(ticketChannel(ticket.id), { token: live });
  });

  it('a customer’s token does not open the agents’ queue', async () => {
    const { ticket, token } = await createTicketViaApi(app);
    const s = await connect();
    s.send({ type: 'subscribe', channel: 'queue', token });
    expect(await errorOn(s, 'queue')).toMatchObject({ code: 'unauthorized' });
    await createTicketViaApi(app);
    await expectAlive(s);
    expect(s.frames.some((f) => f.type === 'ticket.created' || (f.type === 'ticket.updated' && f.ticket.id !== ticket.id))).toBe(false);
  });

  it.each([
    ['SQL in a ticket channel', "ticket:' OR 1=1--"],
    ['a wildcard ticket channel', 'ticket:*'],
    ['a LIKE pattern ticket channel', 'ticket:%'],
    ['a path-like ticket channel', 'ticket:../../queue'],
    ['a ticket id with a NUL byte', `ticket:${randomUUID()}\u0000`],
    ['SQL in an order channel', "order:' OR 1=1--"],
    ['the queue with a trailing space', 'queue '],
    ['an unknown channel kind', 'admin:all'],
  ])('%s: a 4xx error frame, never internal, and the connection stays usable', async (_name, channel) => {
    const s = await connect();
    s.send({ type: 'subscribe', channel, token: 'x' });
    const error = await s.waitFor((f) => f.type === 'error');
    expect(['invalid_request', 'unauthorized', 'not_found']).toContain((error as { code: string }).code);
    await expectAlive(s);
    expect(s.frames.filter((f) => f.type === 'subscribed')).toEqual([]);
  });

  it.each([
    ['a message id of another ticket', async () => (await otherTicketMessageId()), 'invalid_request'],
    ['a cursor of base64-encoded SQL', async () => Buffer.from("1; SELECT pg_sleep(5)").toString('base64url'), 'invalid_request'],
    ['a negative seq', async () => -1, 'invalid_request'],
    ['a seq past 2^31', async () => 2 ** 31, 'invalid_request'],
    ['a float seq', async () => 1.5, 'invalid_request'],
  ])('since = %s: refused, nothing of any ticket sent', async (_name, since, code) => {
    const mine = await createTicketViaApi(app);
    const s = await connect();
    s.send({ type: 'subscribe', channel: ticketChannel(mine.ticket.id), token: mine.token, since: await since() });
    expect(await s.waitFor((f) => f.type === 'error')).toMatchObject({ code });
    await expectAlive(s);
    expect(s.frames.filter((f) => f.type === 'message.created' || f.type === 'subscribed')).toEqual([]);
  });

  it('since = a cursor of another ticket only replays this ticket’s own messages', async () => {
    const other = await createTicketViaApi(app);
    for (let i = 0; i < 3; i++) await sendMessageViaApi(app, other.ticket, other.token, `other ${i}`);
    const mine = await createTicketViaApi(app);
    const s = await connect();
    await s.subscribe(ticketChannel(mine.ticket.id), { token: mine.token, since: encodeCursor(1) });
    await sendMessageViaApi(app, mine.ticket, mine.token, 'second');
    await s.waitForMessages(ticketChannel(mine.ticket.id), 1);
    expect(s.frames.flatMap((f) => (f.type === 'message.created' ? [f.message.request_id] : []))).toEqual([mine.ticket.id]);
  });
});

async function otherTicketMessageId(): Promise<string> {
  const other = await createTicketViaApi(app);
  const { rows } = await testDb.db.query<{ id: string }>('SELECT id FROM support_messages WHERE request_id = $1', [other.ticket.id]);
  return rows[0]!.id;
}

describe('agent sessions over WebSocket', () => {
  async function expectAnonymous(cookie: string) {
    const { ticket } = await createTicketViaApi(app);
    const s = await connect(app, cookie);
    s.send({ type: 'subscribe', channel: 'queue' });
    expect(await errorOn(s, 'queue')).toMatchObject({ code: 'unauthorized' });
    s.send({ type: 'subscribe', channel: ticketChannel(ticket.id) });
    expect(await errorOn(s, ticketChannel(ticket.id))).toMatchObject({ code: 'unauthorized' });
    await createTicketViaApi(app);
    await expectAlive(s);
    expect(s.frames.filter((f) => f.type === 'subscribed' || f.type === 'ticket.created')).toEqual([]);
  }

  it.each([
    ['a forged session id', async () => `tf_session=${randomBytes(32).toString('base64url')}`],
    ['the stored hash of a live session id', async () => `tf_session=${hashSessionId(admin.cookie.split('=')[1]!)}`],
    [
      'an expired session',
      async () => {
        const a = await createLoggedInAgent(app);
        await testDb.db.query(`UPDATE agent_sessions SET expires_at = now() - interval '1 second' WHERE agent_id = $1`, [a.id]);
        return a.cookie;
      },
    ],
    [
      'a logged-out session',
      async () => {
        const a = await createLoggedInAgent(app);
        await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: a.cookie } });
        return a.cookie;
      },
    ],
    [
      'a disabled agent’s session',
      async () => {
        const a = await createLoggedInAgent(app);
        await app.inject({ method: 'PATCH', url: `/api/admin/agents/${a.id}`, headers: { cookie: admin.cookie }, payload: { disabled: true } });
        return a.cookie;
      },
    ],
  ])('a handshake with %s is an anonymous socket: no queue, no ticket without its token', async (_name, cookie) => {
    await expectAnonymous(await cookie());
  });

  it('an admin disabling an agent closes that agent’s open socket (4001); queue and ticket events stop reaching it', async () => {
    const target = await createLoggedInAgent(app);
    const colleague = await createLoggedInAgent(app);
    const watched = await createTicketViaApi(app);
    const socket = await connect(app, target.cookie);
    await socket.subscribe('queue');
    await socket.subscribe(ticketChannel(watched.ticket.id));
    const witness = await connect(app, colleague.cookie);
    await witness.subscribe('queue');

    const res = await app.inject({ method: 'PATCH', url: `/api/admin/agents/${target.id}`, headers: { cookie: admin.cookie }, payload: { disabled: true } });
    expect(res.statusCode).toBe(200);
    expect(await socket.whenClosed()).toBe(REALTIME_CLOSE.revoked);

    const seen = socket.frames.length;
    const fresh = await createTicketViaApi(app);
    await sendMessageViaApi(app, watched.ticket, watched.token, 'after the agent was disabled');
    await witness.waitFor((f) => f.type === 'ticket.created' && f.ticket.id === fresh.ticket.id);
    await witness.waitFor((f) => f.type === 'ticket.updated' && f.ticket.id === watched.ticket.id);
    expect(socket.frames.length).toBe(seen);
    // The colleague's socket was not touched.
    await expectAlive(witness);
  });

  it('an agent whose session ended unheard (no agent.revoked) cannot subscribe with the socket it still holds: 4001', async () => {
    const target = await createLoggedInAgent(app);
    const socket = await connect(app, target.cookie);
    await socket.subscribe('queue');
    // The session ends without any event: it expired, or its revocation was lost.
    await testDb.db.query(`UPDATE agent_sessions SET expires_at = now() - interval '1 second' WHERE agent_id = $1`, [target.id]);
    const { ticket } = await createTicketViaApi(app);
    const from = socket.frames.length;
    socket.send({ type: 'subscribe', channel: ticketChannel(ticket.id) });
    expect(await socket.whenClosed()).toBe(REALTIME_CLOSE.revoked);
    expect(socket.frames.slice(from).filter((f) => f.type === 'subscribed' || f.type === 'message.created')).toEqual([]);
  });

  it('an agent’s socket keeps working while the session lives (the re-check refuses nobody else)', async () => {
    const a = await createLoggedInAgent(app);
    const { ticket, token } = await createTicketViaApi(app);
    const s = await connect(app, a.cookie);
    await s.subscribe('queue');
    await s.subscribe(ticketChannel(ticket.id));
    await sendMessageViaApi(app, ticket, token, 'hello agent');
    await s.waitForMessages(ticketChannel(ticket.id), 1);
  });
  it('logging out closes the sockets opened with that session (4001), not those of the agent’s other session', async () => {
    const a = await createLoggedInAgent(app);
    const otherCookie = await loginAgent(app, a); // the same agent on another device
    const loggingOut = await connect(app, a.cookie);
    await loggingOut.subscribe('queue');
    const stays = await connect(app, otherCookie);
    await stays.subscribe('queue');

    const res = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: a.cookie } });
    expect(res.statusCode).toBe(204);
    expect(await loggingOut.whenClosed()).toBe(REALTIME_CLOSE.revoked);
    const fresh = await createTicketViaApi(app);
    await stays.waitFor((f) => f.type === 'ticket.created' && f.ticket.id === fresh.ticket.id);
    await expectAlive(stays);
  });
});

describe.skipIf(!onPostgres)('a revocation during a bus listener outage (PostgreSQL)', () => {
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let dbB: PostgresDb;
  let b: FastifyInstance;

  // Instance B reaches the database through a proxy the test can cut: its listener is down for sure
  // while the agent is disabled through instance A.
  beforeAll(async () => {
    if (!onPostgres) return;
    const url = new URL(testDb.url!);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    dbB = new PostgresDb({ connectionString: url.toString(), schema: testDb.schema, max: 5 });
    b = await buildApp({ db: dbB, config: testConfig({ publicUrl: 'http://localhost:3000' }) });
    await b.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await b?.close();
    await dbB?.close();
    await proxy?.close();
  });

  it('still closes the disabled agent’s socket once the listener is back', async () => {
    const target = await createLoggedInAgent(app);
    const colleague = await createLoggedInAgent(app);
    const socket = await connect(b, target.cookie);
    await socket.subscribe('queue');
    const witness = await connect(b, colleague.cookie);
    await witness.subscribe('queue');

    await proxy.cut();
    const res = await app.inject({ method: 'PATCH', url: `/api/admin/agents/${target.id}`, headers: { cookie: admin.cookie }, payload: { disabled: true } });
    expect(res.statusCode).toBe(200);
    await expectAlive(socket); // B never heard agent.revoked
    await proxy.restore();

    expect(await socket.whenClosed()).toBe(REALTIME_CLOSE.revoked);
    const seen = socket.frames.length;
    const fresh = await createTicketViaApi(app);
    await witness.waitFor((f) => f.type === 'ticket.created' && f.ticket.id === fresh.ticket.id);
    expect(socket.frames.length).toBe(seen);
  });
});
