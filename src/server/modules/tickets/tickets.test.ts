import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Queryable } from '../../db/index.ts';
import { createTicketViaApi, uniqueEmail } from '../../test/factories.ts';
import { useTestApp } from '../../test/test-app.ts';
import { CREATE_RETRY_WINDOW_SECONDS } from './create-retry.ts';
import { hashTicketToken } from './ticket-token.ts';
import { authorizeTicket } from './authorize-ticket.ts';
import { TICKETS_PER_EMAIL_PER_ADDRESS_PER_DAY } from './create-ticket.ts';

const ctx = useTestApp();

/** POST /api/tickets from a given client address. */
function open(payload: Record<string, unknown>, remoteAddress: string) {
  return ctx.app.inject({ method: 'POST', url: '/api/tickets', payload, remoteAddress });
}

async function countRows(table: string, where = 'true', params: unknown[] = []) {
  const { rows } = await ctx.testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params);
  return rows[0]!.n;
}

describe('POST /api/tickets', () => {
  it('opens a ticket, returns its token once and stores only the token hash', async () => {
    const email = uniqueEmail();
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/tickets',
      payload: { email, message: 'Is your chicken halal?', lang: 'en', orderNumber: 'TF-1001' },
    });
    expect(res.statusCode).toBe(201);
    const { ticket, token } = res.json();
    expect(ticket).toMatchObject({ email, message: 'Is your chicken halal?', status: 'open', priority: 'normal', lang: 'en', order_number: 'TF-1001', last_agent_reply_at: null });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(ticket).not.toHaveProperty('token_hash');
    const { rows } = await ctx.testDb.db.query<{ token_hash: string }>('SELECT token_hash FROM support_requests WHERE id = $1', [ticket.id]);
    expect(rows[0]!.token_hash).not.toContain(token);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('makes the opening message the first message of the conversation', async () => {
    const clientId = randomUUID();
    const { ticket, token } = await createTicketViaApi(ctx.app, { message: 'Bonjour !', clientId });
    const res = await ctx.app.inject({ url: `/api/tickets/${ticket.id}/messages`, headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json().messages).toMatchObject([{ author_type: 'user', body: 'Bonjour !', client_id: clientId, seq: 1 }]);
  });

  it('records ticket_created in support_analytics and queues the created e-mail in the same transaction', async () => {
    const { ticket } = await createTicketViaApi(ctx.app, { lang: 'nl' });
    expect(await countRows('support_analytics', "request_id = $1 AND metric_type = 'ticket_created'", [ticket.id])).toBe(1);
    const { rows } = await ctx.testDb.db.query('SELECT email_type, recipient_email, lang, status FROM email_queue WHERE request_id = $1', [ticket.id]);
    expect(rows).toEqual([{ email_type: 'created', recipient_email: ticket.email, lang: 'nl', status: 'pending' }]);
  });

  it('stores the e-mail lower-cased, so addresses differing only in case are one customer', async () => {
    const email = uniqueEmail('MiXeD');
    const { ticket } = await createTicketViaApi(ctx.app, { email: email.toUpperCase() });
    expect(ticket.email).toBe(email.toLowerCase());
  });

  it('uses Accept-Language for the ticket language when none is given, and French otherwise', async () => {
    const nl = await ctx.app.inject({ method: 'POST', url: '/api/tickets', headers: { 'accept-language': 'nl-BE,nl;q=0.9,en;q=0.5' }, payload: { email: uniqueEmail(), message: 'Hallo' } });
    expect(nl.json().ticket.lang).toBe('nl');
    const none = await ctx.app.inject({ method: 'POST', url: '/api/tickets', payload: { email: uniqueEmail(), message: 'Salut' } });
    expect(none.json().ticket.lang).toBe('fr');
  });

  it('remembers the language a customer chose and uses it for their next ticket', async () => {
    const email = uniqueEmail();
    await createTicketViaApi(ctx.app, { email, lang: 'en' });
    const res = await ctx.app.inject({ method: 'POST', url: '/api/tickets', headers: { 'accept-language': 'fr' }, payload: { email, message: 'Again' } });
    expect(res.json().ticket.lang).toBe('en');
  });

  it('answers a retried creation that repeats its clientSecret with the same ticket and the same token', async () => {
    const email = uniqueEmail();
    const clientId = randomUUID();
    const clientSecret = randomBytes(32).toString('base64url');
    const payload = { email, message: 'Help', clientId, clientSecret };
    const first = await ctx.app.inject({ method: 'POST', url: '/api/tickets', payload });
    const again = await ctx.app.inject({ method: 'POST', url: '/api/tickets', payload });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await countRows('support_requests', 'email = $1', [email])).toBe(1);
    const read = await ctx.app.inject({ url: `/api/tickets/${first.json().ticket.id}`, headers: { authorization: `Bearer ${first.json().token}` } });
    expect(read.statusCode).toBe(200);
  });

  it('answers a retried creation with 409 and no token when the clientSecret is missing, wrong or too late', async () => {
    const email = uniqueEmail();
    const clientId = randomUUID();
    const clientSecret = randomBytes(32).toString('base64url');
    const first = await ctx.app.inject({ method: 'POST', url: '/api/tickets', payload: { email, message: 'Help', clientId, clientSecret } });
    const { ticket, token } = first.json();
    const retries = [
      { email, message: 'Help', clientId },
      { email, message: 'Help', clientId, clientSecret: randomBytes(32).toString('base64url') },
    ];
    for (const payload of retries) {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/tickets', payload });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toEqual({ error: { code: 'conflict', message: expect.any(String) } });
    }
    await ctx.testDb.db.query(`UPDATE support_requests SET created_at = created_at - make_interval(secs => $2) WHERE id = $1`, [
      ticket.id,
      CREATE_RETRY_WINDOW_SECONDS + 1,
    ]);
    const late = await ctx.app.inject({ method: 'POST', url: '/api/tickets', payload: { email, message: 'Help', clientId, clientSecret } });
    expect(late.statusCode).toBe(409);
    const read = await ctx.app.inject({ url: `/api/tickets/${ticket.id}`, headers: { authorization: `Bearer ${token}` } });
    expect(read.statusCode).toBe(200);
  });

  it('refuses the sixth ticket of the day for one address with 429, Retry-After and a message in its language', async () => {
    const email = uniqueEmail();
    for (let i = 0; i < 5; i++) expect((await open({ email, message: `ticket ${i}`, lang: 'en' }, `10.20.0.${i + 1}`)).statusCode).toBe(201);
    const res = await open({ email: email.toUpperCase(), message: 'one more', lang: 'en' }, '10.20.0.9');
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringContaining("today's ticket limit") } });
    expect(await countRows('support_requests', 'email = $1', [email])).toBe(5);
  });
});

describe('POST /api/tickets: limits one client address may not use up', () => {
  it('lets one client address open only 3 of an e-mail address\'s 5 daily tickets; the customer keeps the others', async () => {
    const victim = uniqueEmail();
    for (let i = 0; i < TICKETS_PER_EMAIL_PER_ADDRESS_PER_DAY; i++) {
      expect((await open({ email: victim, message: `spam ${i}` }, '10.30.0.66')).statusCode).toBe(201);
    }
    const refused = await open({ email: victim, message: 'spam again' }, '10.30.0.66');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await countRows('support_requests', 'email = $1', [victim])).toBe(TICKETS_PER_EMAIL_PER_ADDRESS_PER_DAY);
    expect((await open({ email: victim, message: 'my real question' }, '10.30.0.7')).statusCode).toBe(201);
  });

  it('never lets a new ticket change the language a customer chose', async () => {
    const email = uniqueEmail();
    expect((await open({ email, message: 'Hello', lang: 'en' }, '10.31.0.1')).statusCode).toBe(201);
    expect((await open({ email, message: 'Hallo', lang: 'nl' }, '10.31.0.2')).statusCode).toBe(201);
    const { rows } = await ctx.testDb.db.query('SELECT language FROM user_preferences WHERE user_id = $1', [email]);
    expect(rows).toEqual([{ language: 'en' }]);
    const next = await open({ email, message: 'Again' }, '10.31.0.3');
    expect(next.json().ticket.lang).toBe('en');
  });
});

describe('GET /api/tickets/:id', () => {
  it('returns the ticket to the holder of its token', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    const res = await ctx.app.inject({ url: `/api/tickets/${ticket.id}`, headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ticket });
  });

  it('answers 401 without a token', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    const res = await ctx.app.inject({ url: `/api/tickets/${ticket.id}` });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
  });

  it('answers 404 when the token belongs to another ticket', async () => {
    const a = await createTicketViaApi(ctx.app);
    const b = await createTicketViaApi(ctx.app);
    const res = await ctx.app.inject({ url: `/api/tickets/${a.ticket.id}`, headers: { authorization: `Bearer ${b.token}` } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });

  it('answers 404 for an unknown ticket and for a forged token alike', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    const unknown = await ctx.app.inject({ url: `/api/tickets/${randomUUID()}`, headers: { authorization: `Bearer ${token}` } });
    const forged = await ctx.app.inject({ url: `/api/tickets/${ticket.id}`, headers: { authorization: `Bearer ${'A'.repeat(43)}` } });
    expect(unknown.statusCode).toBe(404);
    expect(forged.statusCode).toBe(404);
    expect(unknown.json()).toEqual(forged.json());
  });
});

describe('authorizeTicket with another ticket\'s token', () => {
  /** A Queryable that records every statement and its parameters before running it. */
  function recording(into: string[]): Queryable {
    const db = ctx.testDb.db;
    return {
      query: ((sql: string, params?: unknown[]) => {
        into.push(`${sql} ${JSON.stringify(params?.map((p) => (typeof p === 'string' && /^[0-9a-f-]{36}$/.test(p) ? '<id>' : p)))}`);
        return db.query(sql, params);
      }) as Queryable['query'],
      exec: (sql) => db.exec(sql),
    };
  }

  it('does the same work (the same statements, with the token already hashed) for an existing id as for an unknown one', async () => {
    const victim = await createTicketViaApi(ctx.app);
    const attacker = await createTicketViaApi(ctx.app);
    const existing: string[] = [];
    const unknown: string[] = [];
    await expect(authorizeTicket(recording(existing), victim.ticket.id, attacker.token)).rejects.toMatchObject({ code: 'not_found' });
    await expect(authorizeTicket(recording(unknown), randomUUID(), attacker.token)).rejects.toMatchObject({ code: 'not_found' });
    expect(existing.length).toBeGreaterThan(0);
    expect(existing).toEqual(unknown);
    expect(existing.join('\n')).toContain(hashTicketToken(attacker.token));
  });
});
