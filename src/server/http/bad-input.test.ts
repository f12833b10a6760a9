import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES } from '../app.ts';
import { translator } from '../i18n.ts';
import { createTicketViaApi, uniqueEmail } from '../test/factories.ts';
import { useTestApp } from '../test/test-app.ts';

const ctx = useTestApp();

async function ticketsFor(email: string) {
  const { rows } = await ctx.testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM support_requests WHERE lower(email) = lower($1)', [email]);
  return rows[0]!.n;
}

async function messagesOf(ticketId: string) {
  const { rows } = await ctx.testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM support_messages WHERE request_id = $1', [ticketId]);
  return rows[0]!.n;
}

function expectError(res: { statusCode: number; json: () => unknown; body: string }, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(res.json()).toMatchObject({ error: { code, message: expect.any(String) } });
  expect(res.body).not.toMatch(/at .*\.ts:\d+|node_modules|SELECT|INSERT/);
}

describe('bad input when opening a ticket gets a 4xx and stores nothing', () => {
  const cases: Array<[string, (email: string) => unknown]> = [
    ['a wrong type', (email) => ({ email, message: 42 })],
    ['a missing message', (email) => ({ email })],
    ['an unknown field', (email) => ({ email, message: 'hi', status: 'closed' })],
    ['an over-long message', (email) => ({ email, message: 'x'.repeat(5001) })],
    ['a blank message', (email) => ({ email, message: '   ' })],
    ['a NUL byte', (email) => ({ email, message: 'nul\u0000byte' })],
    ['a lone surrogate', (email) => ({ email, message: 'half \ud83d emoji' })],
    ['an unknown language', (email) => ({ email, message: 'hi', lang: 'de' })],
    ['a clientId that is not a UUID', (email) => ({ email, message: 'hi', clientId: 'abc' })],
    ['an order number with SQL in it', (email) => ({ email, message: 'hi', orderNumber: "1'; DROP TABLE orders;--" })],
  ];
  for (const [name, body] of cases) {
    it(`refuses ${name} with 400`, async () => {
      const email = uniqueEmail();
      const res = await ctx.app.inject({ method: 'POST', url: '/api/tickets', payload: body(email) as object });
      expectError(res, 400, 'invalid_request');
      expect(await ticketsFor(email)).toBe(0);
    });
  }

  it('refuses an e-mail address with CR/LF (header injection) with 400', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/tickets', payload: { email: 'victim@example.com\r\nBcc: all@example.com', message: 'hi' } });
    expectError(res, 400, 'invalid_request');
    expect(await ticketsFor('victim@example.com')).toBe(0);
  });

  it('refuses an e-mail address over 254 characters with 400', async () => {
    const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`;
    expect(email.length).toBeGreaterThan(254);
    const res = await ctx.app.inject({ method: 'POST', url: '/api/tickets', payload: { email, message: 'hi' } });
    expectError(res, 400, 'invalid_request');
    expect(await ticketsFor(email)).toBe(0);
  });

  it('refuses malformed JSON with 400 invalid_request', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/tickets', headers: { 'content-type': 'application/json' }, payload: '{"email": "a@b.co", "message": ' });
    expectError(res, 400, 'invalid_request');
  });

  it('refuses a body that is not JSON', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/tickets', headers: { 'content-type': 'text/plain' }, payload: 'email=a@b.co' });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json().error.code).toBe('invalid_request');
  });

  it(`refuses a body over ${BODY_LIMIT_BYTES} bytes with 413 payload_too_large`, async () => {
    const email = uniqueEmail();
    const res = await ctx.app.inject({ method: 'POST', url: '/api/tickets', payload: { email, message: 'x'.repeat(BODY_LIMIT_BYTES + 10) } });
    expectError(res, 413, 'payload_too_large');
    expect(await ticketsFor(email)).toBe(0);
  });

  it('answers in the caller’s language: English from Accept-Language, French by default', async () => {
    const en = await ctx.app.inject({ method: 'POST', url: '/api/tickets', headers: { 'accept-language': 'en-GB' }, payload: { email: 'nope' } });
    const fr = await ctx.app.inject({ method: 'POST', url: '/api/tickets', payload: { email: 'nope' } });
    expect(en.json().error.message).toBe(translator('en')('errors:invalid_request'));
    expect(fr.json().error.message).toBe(translator('fr')('errors:invalid_request'));
    expect(en.json().error.message).not.toBe(fr.json().error.message);
  });
});

describe('bad input on a ticket’s messages gets a 4xx and stores nothing', () => {
  it('refuses an invalid UUID in the path with 400', async () => {
    const { token } = await createTicketViaApi(ctx.app);
    const res = await ctx.app.inject({ url: "/api/tickets/1' OR '1'='1/messages", headers: { authorization: `Bearer ${token}` } });
    expectError(res, 400, 'invalid_request');
  });

  for (const limit of ['1e9', '0', '-5', '101', 'abc', '2.5']) {
    it(`refuses limit=${limit} with 400`, async () => {
      const { ticket, token } = await createTicketViaApi(ctx.app);
      const res = await ctx.app.inject({ url: `/api/tickets/${ticket.id}/messages?limit=${limit}`, headers: { authorization: `Bearer ${token}` } });
      expectError(res, 400, 'invalid_request');
    });
  }

  for (const [name, cursor] of [
    ['garbage', 'not-a-cursor!!'],
    ['valid base64 of a non-cursor', Buffer.from('{"s":"1; DROP"}').toString('base64url')],
    ['a negative position', Buffer.from('{"s":-3}').toString('base64url')],
    ['an overflowing position', Buffer.from('{"s":1e20}').toString('base64url')],
  ]) {
    it(`refuses a tampered cursor (${name}) with 400`, async () => {
      const { ticket, token } = await createTicketViaApi(ctx.app);
      const res = await ctx.app.inject({ url: `/api/tickets/${ticket.id}/messages?cursor=${encodeURIComponent(cursor!)}`, headers: { authorization: `Bearer ${token}` } });
      expectError(res, 400, 'invalid_request');
    });
  }

  const bodies: Array<[string, unknown]> = [
    ['a missing clientId', { body: 'hi' }],
    ['an author_type field (customers cannot write as agents)', { body: 'hi', clientId: randomUUID(), author_type: 'agent' }],
    ['an over-long body', { body: 'x'.repeat(5001), clientId: randomUUID() }],
    ['a NUL byte', { body: 'a\u0000b', clientId: randomUUID() }],
    ['an empty body', { body: '', clientId: randomUUID() }],
    ['an array', [{ body: 'hi', clientId: randomUUID() }]],
  ];
  for (const [name, payload] of bodies) {
    it(`refuses ${name} with 400`, async () => {
      const { ticket, token } = await createTicketViaApi(ctx.app);
      const res = await ctx.app.inject({ method: 'POST', url: `/api/tickets/${ticket.id}/messages`, headers: { authorization: `Bearer ${token}` }, payload: payload as object });
      expectError(res, 400, 'invalid_request');
      expect(await messagesOf(ticket.id)).toBe(1);
    });
  }

  it('stores text exactly as sent, HTML included, never interpreted', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    const body = '<img src=x onerror=alert(1)> ‮ 👩‍👩‍👧 "quotes" \'; DROP TABLE support_messages;--';
    const res = await ctx.app.inject({ method: 'POST', url: `/api/tickets/${ticket.id}/messages`, headers: { authorization: `Bearer ${token}` }, payload: { body, clientId: randomUUID() } });
    expect(res.statusCode).toBe(201);
    expect(res.json().message.body).toBe(body);
    expect(res.headers['content-type']).toMatch(/application\/json/);
  });

  it('answers an unknown route with the contract’s 404', async () => {
    const res = await ctx.app.inject({ url: '/api/nope' });
    expectError(res, 404, 'not_found');
  });
});
