import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../../contracts/agents.ts';
import { buildApp } from '../../app.ts';
import type { Config } from '../../config.ts';
import { hashSessionId } from '../../modules/agents/session-agent.ts';
import { hashTicketToken } from '../../modules/tickets/index.ts';
import { createAgent, createLoggedInAgent, loginAgent } from '../../test/agent-factories.ts';
import { createTicketViaApi, uniqueEmail } from '../../test/factories.ts';
import { testConfig, useTestApp } from '../../test/test-app.ts';
import { expectError, expectNoWrites, useStaff } from '../../test/adversarial-fixtures.ts';

// Already elsewhere (referenced in docs/security.md, not repeated): a missing token is 401 and another
// ticket's token 404 on GET /api/tickets/:id and the messages routes (tickets.test.ts, messages.test.ts);
// `status` when opening a ticket and `author_type` on a message are refused (bad-input.test.ts); idle and
// absolute session timeouts and forged cookies on /api/auth/me (auth.test.ts); a change from another
// site's page is 403 (auth.test.ts, agent-tickets.test.ts); XFF ignored without a trusted proxy, and read
// from the trusted proxy (security.test.ts).

const ctx = useTestApp({ publicUrl: 'http://localhost:3000' });
const db = () => ctx.testDb.db;
const staff = useStaff(ctx);

type Method = 'GET' | 'POST' | 'PATCH';
function send(method: Method, url: string, headers: Record<string, string>, payload?: unknown) {
  return ctx.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function resolvedTicket() {
  const created = await createTicketViaApi(ctx.app);
  await db().query(`UPDATE support_requests SET status = 'resolved' WHERE id = $1`, [created.ticket.id]);
  return created;
}

/** Every customer route of one ticket. */
const customerRoutes = (id: string): Array<[Method, string, unknown]> => [
  ['GET', `/api/tickets/${id}`, undefined],
  ['GET', `/api/tickets/${id}/messages`, undefined],
  ['POST', `/api/tickets/${id}/messages`, { body: 'let me in', clientId: randomUUID() }],
  ['POST', `/api/tickets/${id}/rating`, { score: 1, comment: 'not mine' }],
];

describe('extra fields from a customer are refused with 400, never applied', () => {
  // Decision: every customer body is a strict object. A field the client may not set is a mistake or an
  // attack; refusing it (rather than dropping it) tells an honest client at once.
  it.each([
    ['author_type', { author_type: 'agent' }],
    ['priority', { priority: 'urgent' }],
    ['id', { id: randomUUID() }],
    ['request_id', { request_id: randomUUID() }],
    ['seq', { seq: 1 }],
    ['created_at', { created_at: '2000-01-01T00:00:00Z' }],
    ['last_agent_reply_at', { last_agent_reply_at: '2000-01-01T00:00:00Z' }],
    ['token', { token: 'mine' }],
  ])('POST /api/tickets with %s', async (_name, extra) => {
    const email = uniqueEmail();
    await expectNoWrites(db(), async () => {
      expectError(await send('POST', '/api/tickets', {}, { email, message: 'hi', ...extra }), 400, 'invalid_request');
    });
  });

  it.each([
    ['status', { status: 'closed' }],
    ['priority', { priority: 'urgent' }],
    ['id', { id: randomUUID() }],
    ['request_id', { request_id: randomUUID() }],
    ['seq', { seq: 1 }],
    ['created_at', { created_at: '2000-01-01T00:00:00Z' }],
    ['agent_id', { agent_id: randomUUID() }],
  ])('POST /api/tickets/:id/messages with %s', async (_name, extra) => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    await expectNoWrites(db(), async () => {
      const res = await send('POST', `/api/tickets/${ticket.id}/messages`, bearer(token), { body: 'hi', clientId: randomUUID(), ...extra });
      expectError(res, 400, 'invalid_request');
    });
    const { rows } = await db().query('SELECT status, priority FROM support_requests WHERE id = $1', [ticket.id]);
    expect(rows).toEqual([{ status: 'open', priority: 'normal' }]);
  });

  it.each([
    ['request_id', { request_id: randomUUID() }],
    ['created_at', { created_at: '2000-01-01T00:00:00Z' }],
    ['metric_type', { metric_type: 'ticket_resolved' }],
  ])('POST /api/tickets/:id/rating with %s', async (_name, extra) => {
    const { ticket, token } = await resolvedTicket();
    await expectNoWrites(db(), async () => {
      expectError(await send('POST', `/api/tickets/${ticket.id}/rating`, bearer(token), { score: 5, ...extra }), 400, 'invalid_request');
    });
  });

  it.each([
    ['__proto__', '{"email":"EMAIL","message":"hi","__proto__":{"status":"closed","author_type":"agent"}}'],
    ['constructor.prototype', '{"email":"EMAIL","message":"hi","constructor":{"prototype":{"status":"closed"}}}'],
  ])('a JSON body carrying %s is refused and pollutes nothing', async (_name, raw) => {
    const email = uniqueEmail();
    await expectNoWrites(db(), async () => {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/tickets', headers: { 'content-type': 'application/json' }, payload: raw.replace('EMAIL', email) });
      expectError(res, 400, 'invalid_request');
    });
    expect(({} as Record<string, unknown>).status).toBeUndefined();
  });

  it.each([
    ['author_type', { author_type: 'system' }],
    ['agent_id', { agent_id: randomUUID() }],
    ['created_at', { created_at: '2000-01-01T00:00:00Z' }],
  ])('an agent reply with %s is refused too', async (_name, extra) => {
    const { ticket } = await createTicketViaApi(ctx.app);
    await expectNoWrites(db(), async () => {
      expectError(await send('POST', `/api/agent/tickets/${ticket.id}/messages`, { cookie: staff.agent.cookie }, { body: 'hi', ...extra }), 400, 'invalid_request');
    });
  });

  it.each([
    ['email', { email: 'someone.else@example.com' }],
    ['last_agent_reply_at', { last_agent_reply_at: null }],
    ['created_at', { created_at: '2000-01-01T00:00:00Z' }],
  ])('an agent PATCH with %s is refused and changes nothing', async (_name, extra) => {
    const { ticket } = await createTicketViaApi(ctx.app);
    await expectNoWrites(db(), async () => {
      expectError(await send('PATCH', `/api/agent/tickets/${ticket.id}`, { cookie: staff.agent.cookie }, { status: 'pending', ...extra }), 400, 'invalid_request');
    });
    expect((await db().query('SELECT status FROM support_requests WHERE id = $1', [ticket.id])).rows).toEqual([{ status: 'open' }]);
  });
});

describe('ticket tokens', () => {
  it('another ticket’s token is the same 404 as an unknown ticket on every customer route, and nothing is stored', async () => {
    const mine = await createTicketViaApi(ctx.app);
    const theirs = await resolvedTicket();
    for (const [method, url, payload] of customerRoutes(theirs.ticket.id)) {
      await expectNoWrites(db(), async () => {
        const foreign = await send(method, url, bearer(mine.token), payload);
        const unknown = await send(method, url.replace(theirs.ticket.id, randomUUID()), bearer(mine.token), payload);
        expectError(foreign, 404, 'not_found');
        expect(foreign.body).toBe(unknown.body);
      });
    }
  });

  it.each([
    ['a random token of the right shape', () => randomBytes(32).toString('base64url')],
    ['the token with one character changed', (t: string) => `${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}`],
    ['the token cut short', (t: string) => t.slice(0, 20)],
    ['the stored hash of the token', (t: string) => hashTicketToken(t)],
  ])('%s is 404 on every customer route', async (_name, forge) => {
    const { ticket, token } = await resolvedTicket();
    for (const [method, url, payload] of customerRoutes(ticket.id)) {
      await expectNoWrites(db(), async () => expectError(await send(method, url, bearer(forge(token)), payload), 404, 'not_found'));
    }
  });

  it.each([
    ['no scheme', (t: string) => t],
    ['Basic scheme', (t: string) => `Basic ${t}`],
    ['an empty Bearer', () => 'Bearer '],
    ['characters outside base64url', (t: string) => `Bearer ${t}'--`],
    ['two tokens', (t: string) => `Bearer ${t} ${t}`],
    ['a token over 200 characters', () => `Bearer ${'a'.repeat(201)}`],
  ])('a malformed Authorization header (%s) is 401 on every customer route', async (_name, header) => {
    const { ticket, token } = await resolvedTicket();
    for (const [method, url, payload] of customerRoutes(ticket.id)) {
      await expectNoWrites(db(), async () => expectError(await send(method, url, { authorization: header(token) }, payload), 401, 'unauthorized'));
    }
  });

  it('a ticket token sent as the agent session cookie opens no agent route', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    expectError(await send('GET', `/api/agent/tickets/${ticket.id}`, { cookie: `${SESSION_COOKIE}=${token}` }), 401, 'unauthorized');
  });

  it('an expired e-mailed link token is 404, while a live one works, and neither works on another ticket', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    const other = await createTicketViaApi(ctx.app);
    const live = randomBytes(32).toString('base64url');
    const expired = randomBytes(32).toString('base64url');
    await db().query(
      `INSERT INTO ticket_access_tokens (ticket_id, token_hash, purpose, expires_at)
       VALUES ($1, $2, 'email_link', now() + interval '1 day'), ($1, $3, 'email_link', now() - interval '1 second')`,
      [ticket.id, hashTicketToken(live), hashTicketToken(expired)],
    );
    expect((await send('GET', `/api/tickets/${ticket.id}`, bearer(live))).statusCode).toBe(200);
    expectError(await send('GET', `/api/tickets/${ticket.id}`, bearer(expired)), 404, 'not_found');
    expectError(await send('GET', `/api/tickets/${other.ticket.id}`, bearer(live)), 404, 'not_found');
  });
});

describe('agent session cookies', () => {
  const agentRoutes = (id: string): Array<[Method, string, unknown]> => [
    ['GET', '/api/agent/tickets', undefined],
    ['GET', `/api/agent/tickets/${id}`, undefined],
    ['PATCH', `/api/agent/tickets/${id}`, { status: 'closed' }],
    ['POST', `/api/agent/tickets/${id}/messages`, { body: 'hijacked' }],
    ['GET', '/api/agent/analytics', undefined],
    ['GET', '/api/admin/agents', undefined],
  ];

  async function expectRefusedEverywhere(cookie: string) {
    const { ticket } = await createTicketViaApi(ctx.app);
    for (const [method, url, payload] of agentRoutes(ticket.id)) {
      await expectNoWrites(db(), async () => expectError(await send(method, url, { cookie }, payload), 401, 'unauthorized'));
    }
  }

  it.each([
    ['a random session id of the right shape', () => `${SESSION_COOKIE}=${randomBytes(32).toString('base64url')}`],
    ['a malformed session id', () => `${SESSION_COOKIE}=' OR 1=1--`],
    ['the stored hash of a live session id', () => `${SESSION_COOKIE}=${hashSessionId(staff.agent.cookie.split('=')[1]!)}`],
    ['a live session id under another cookie name', () => `session=${staff.agent.cookie.split('=')[1]}`],
  ])('%s is 401 on every agent route', async (_name, cookie) => {
    await expectRefusedEverywhere(cookie());
  });

  it('an expired session is 401 on every agent route', async () => {
    const expiring = await createLoggedInAgent(ctx.app);
    await db().query(`UPDATE agent_sessions SET expires_at = now() - interval '1 second' WHERE agent_id = $1`, [expiring.id]);
    await expectRefusedEverywhere(expiring.cookie);
  });

  it('a logged-out session is 401 on every agent route', async () => {
    const leaving = await createLoggedInAgent(ctx.app);
    expect((await send('POST', '/api/auth/logout', { cookie: leaving.cookie })).statusCode).toBe(204);
    await expectRefusedEverywhere(leaving.cookie);
  });

  it('a disabled agent’s session is 401 on every agent route', async () => {
    const target = await createLoggedInAgent(ctx.app);
    expect((await send('PATCH', `/api/admin/agents/${target.id}`, { cookie: staff.admin.cookie }, { disabled: true })).statusCode).toBe(200);
    await expectRefusedEverywhere(target.cookie);
  });

  it('another agent’s session grants that agent’s rights only: an agent’s cookie cannot act as an admin', async () => {
    const victim = await createAgent(db());
    await expectNoWrites(db(), async () => {
      expectError(await send('PATCH', `/api/admin/agents/${victim.id}`, { cookie: staff.agent.cookie }, { disabled: true, role: 'admin' }), 403, 'forbidden');
      expectError(await send('POST', '/api/admin/agents', { cookie: staff.agent.cookie }, { email: uniqueEmail(), name: 'Mallory', role: 'admin' }), 403, 'forbidden');
    });
    expect((await db().query('SELECT role, disabled FROM agents WHERE id = $1', [victim.id])).rows).toEqual([{ role: 'agent', disabled: false }]);
  });

  it('a session of one agent records its changes under that agent, whatever the body claims', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    const other = await createAgent(db());
    const res = await send('POST', `/api/agent/tickets/${ticket.id}/messages`, { cookie: staff.agent.cookie }, { body: 'hello' });
    expect(res.statusCode).toBe(201);
    expect(res.json().message.agent_id).toBe(staff.agent.id);
    expect(res.json().message.agent_id).not.toBe(other.id);
  });

  it('a new login ends the session the request carried (no fixation)', async () => {
    const fixed = await createAgent(db());
    const first = await loginAgent(ctx.app, fixed);
    const res = await send('POST', '/api/auth/login', { cookie: first }, { email: fixed.email, password: fixed.password });
    expect(res.statusCode).toBe(200);
    expectError(await send('GET', '/api/auth/me', { cookie: first }), 401, 'unauthorized');
  });
});

/** An app on the same database with per-IP limits on, and the given proxy trust. */
function useLimitedApp(overrides: Partial<Config>) {
  const holder = {} as { app: FastifyInstance };
  beforeAll(async () => {
    holder.app = await buildApp({ db: ctx.testDb.db, config: testConfig({ rateLimit: true, rateLimitPerMinute: 3, ...overrides }) });
    await holder.app.ready();
  });
  afterAll(async () => holder.app?.close());
  return holder;
}

function probe(app: FastifyInstance, remoteAddress: string, xff?: string) {
  return app.inject({
    url: `/api/tickets/${randomUUID()}`,
    headers: { authorization: 'Bearer x', ...(xff ? { 'x-forwarded-for': xff } : {}) },
    remoteAddress,
  });
}

describe('forged X-Forwarded-For without a trusted proxy', () => {
  const limited = useLimitedApp({});

  it('cannot frame another address: requests claiming to be the victim use up the sender’s own quota only', async () => {
    const attacker = '10.3.0.1';
    const victim = '10.3.0.2';
    for (let i = 0; i < 4; i++) await probe(limited.app, attacker, victim);
    expect((await probe(limited.app, attacker, victim)).statusCode).toBe(429);
    expect((await probe(limited.app, victim)).statusCode).toBe(404);
  });

  it('is not what the failed order lookups and login attempts record', async () => {
    const sender = '10.3.0.3';
    const forged = '203.0.113.77';
    await limited.app.inject({ url: '/api/orders/track?number=NOPE-1&email=a%40example.com', headers: { 'x-forwarded-for': forged }, remoteAddress: sender });
    await limited.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-forwarded-for': forged }, remoteAddress: sender, payload: { email: 'nobody@example.com', password: 'wrong-password' } });
    const tracked = await db().query<{ key: string }>(`SELECT key FROM order_track_failures WHERE scope = 'ip' AND key IN ($1, $2)`, [sender, forged]);
    const logins = await db().query<{ key: string }>(`SELECT key FROM login_attempts WHERE key IN ($1, $2)`, [`ip:${sender}`, `ip:${forged}`]);
    expect(tracked.rows.map((r) => r.key)).toEqual([sender]);
    expect(logins.rows.map((r) => r.key)).toEqual([`ip:${sender}`]);
  });
});

describe('X-Forwarded-For with TRUST_PROXY set to the proxy’s address', () => {
  const proxied = useLimitedApp({ trustProxy: ['127.0.0.1'] });

  it('ignores the header from any other address: a direct client cannot dodge its limit by rotating it', async () => {
    const direct = '10.4.0.1';
    for (let i = 0; i < 3; i++) await probe(proxied.app, direct, `198.51.100.${i + 1}`);
    expect((await probe(proxied.app, direct, '198.51.100.50')).statusCode).toBe(429);
  });

  it('ignores the header from any other address: a direct client cannot frame a customer behind the proxy', async () => {
    for (let i = 0; i < 4; i++) await probe(proxied.app, '10.4.0.2', '198.51.100.60');
    expect((await probe(proxied.app, '127.0.0.1', '198.51.100.60')).statusCode).toBe(404);
  });

  it('believes only the entry the proxy appended: a client-forged first entry does not dodge the limit', async () => {
    const real = '198.51.100.70';
    for (let i = 0; i < 3; i++) await probe(proxied.app, '127.0.0.1', `203.0.113.${i + 1}, ${real}`);
    expect((await probe(proxied.app, '127.0.0.1', `203.0.113.99, ${real}`)).statusCode).toBe(429);
    expect((await probe(proxied.app, '127.0.0.1', '198.51.100.71')).statusCode).toBe(404);
  });
});
