import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AGENT_LIMITS } from '../../../contracts/agents.ts';
import { encodeCursor } from '../../modules/tickets/index.ts';
import { createTicketViaApi, sendMessageViaApi } from '../../test/factories.ts';
import { useTestApp } from '../../test/test-app.ts';
import { expectError, useStaff } from '../../test/adversarial-fixtures.ts';

// Already elsewhere (not repeated): the customer messages route's limit=1e9/0/-5/101/abc/2.5 and its
// garbage, non-cursor, negative and overflowing cursors (bad-input.test.ts); the queue's limit=0,
// limit=101 and page=0 (agent-tickets.test.ts); a metrics batch over 50 (metrics.test.ts).

const ctx = useTestApp();
const db = () => ctx.testDb.db;
const staff = useStaff(ctx);

const get = (url: string, headers: Record<string, string> = {}) => ctx.app.inject({ url, headers });
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A ticket with `n` customer messages after the opening one. */
async function ticketWith(n: number) {
  const created = await createTicketViaApi(ctx.app);
  for (let i = 0; i < n; i++) await sendMessageViaApi(ctx.app, created.ticket, created.token, `m${i + 1}`);
  return created;
}

describe('page sizes and page numbers', () => {
  it.each(['limit=-1', 'limit=1e9', 'limit=abc', 'limit=2.5', 'limit=', 'limit=1&limit=2', 'page=-1', 'page=1e9', `page=${AGENT_LIMITS.maxPage + 1}`, 'page=1.5', 'page=abc'])(
    'GET /api/agent/tickets?%s is refused with 400',
    async (query) => {
      expectError(await get(`/api/agent/tickets?${query}`, { cookie: staff.agent.cookie }), 400, 'invalid_request');
    },
  );

  it('answers the last allowed page number with an empty page and the true total', async () => {
    await createTicketViaApi(ctx.app);
    const res = await get(`/api/agent/tickets?status=all&page=${AGENT_LIMITS.maxPage}&limit=100`, { cookie: staff.agent.cookie });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.tickets).toEqual([]);
    expect(body.pagination).toMatchObject({ page: AGENT_LIMITS.maxPage, limit: 100, total: expect.any(Number) });
    expect(body.pagination.total).toBeGreaterThan(0);
  });

  it.each(['limit=-1', 'limit=1e9', 'limit=abc', 'limit=101', 'limit=1&limit=2'])('GET /api/agent/tickets/:id/messages?%s is refused with 400', async (query) => {
    const { ticket } = await createTicketViaApi(ctx.app);
    expectError(await get(`/api/agent/tickets/${ticket.id}/messages?${query}`, { cookie: staff.agent.cookie }), 400, 'invalid_request');
  });

  it('GET /api/tickets/:id/messages with limit given twice is refused with 400', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    expectError(await get(`/api/tickets/${ticket.id}/messages?limit=1&limit=100`, { authorization: `Bearer ${token}` }), 400, 'invalid_request');
  });

  it('answers limit=100, the largest page, with every message of a small ticket', async () => {
    const { ticket, token } = await ticketWith(3);
    const res = await get(`/api/tickets/${ticket.id}/messages?limit=100`, { authorization: `Bearer ${token}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ hasMore: false, nextCursor: null });
    expect(res.json().messages).toHaveLength(4);
  });

  it.each(['days=-1', 'days=0', 'days=1e9', 'days=abc', 'days=32'])('GET /api/debug/metrics-summary?%s is refused with 400', async (query) => {
    expectError(await get(`/api/debug/metrics-summary?${query}`, { cookie: staff.admin.cookie }), 400, 'invalid_request');
  });
});

describe('analytics date ranges', () => {
  it.each([
    ['a month 13', 'from=2024-13-01'],
    ['a day 32', 'to=2024-01-32'],
    ['a five-digit year', 'from=99999-01-01'],
    ['a negative year', 'from=-001-01-01'],
    ['a date and time without Z or offset', 'from=2024-01-01T00:00:00'],
    ['an SQL function', 'to=now()'],
    ['from after to', 'from=2024-02-01&to=2024-01-01'],
    ['over 366 days', 'from=2020-01-01&to=2024-01-01'],
    ['two hundred years', 'from=1900-01-01&to=2100-01-01'],
  ])('refuses %s with 400', async (_name, query) => {
    expectError(await get(`/api/agent/analytics?${query}`, { cookie: staff.agent.cookie }), 400, 'invalid_request');
  });

  it('answers a range of exactly 366 days', async () => {
    const res = await get('/api/agent/analytics?from=2024-01-01&to=2024-12-31', { cookie: staff.agent.cookie });
    expect(res.statusCode).toBe(200);
    expect(res.json().ticketsPerDay).toHaveLength(366);
  });
});

describe('forged cursors', () => {
  it.each([
    ['base64 of SQL', b64("1; SELECT pg_sleep(5)")],
    ['base64 of a cursor whose position is SQL', b64({ s: '1 OR 1=1' })],
    ['base64 of a cursor whose position is a float', b64({ s: 2.5 })],
    ['base64 of a cursor whose position is zero', b64({ s: 0 })],
    ['base64 of a cursor with the position in an array', b64({ s: [3] })],
    ['base64 of a JSON array', b64([1])],
    ['base64 of null', b64('null')],
    ['standard base64 with padding', Buffer.from('{"s":3}').toString('base64')],
    ['a cursor over 200 characters', 'A'.repeat(201)],
  ])('on the agents’ messages route: %s is refused with 400', async (_name, cursor) => {
    const { ticket } = await ticketWith(2);
    expectError(await get(`/api/agent/tickets/${ticket.id}/messages?cursor=${encodeURIComponent(cursor)}`, { cookie: staff.agent.cookie }), 400, 'invalid_request');
  });

  it.each([
    ['base64 of null', b64('null')],
    ['base64 of a cursor whose position is zero', b64({ s: 0 })],
    ['standard base64 with padding', Buffer.from('{"s":3}').toString('base64')],
  ])('on the customer messages route: %s is refused with 400', async (_name, cursor) => {
    const { ticket, token } = await ticketWith(2);
    expectError(await get(`/api/tickets/${ticket.id}/messages?cursor=${encodeURIComponent(cursor)}`, { authorization: `Bearer ${token}` }), 400, 'invalid_request');
  });

  it('a cursor carrying __proto__ pollutes nothing', async () => {
    const { ticket, token } = await ticketWith(2);
    const res = await get(`/api/tickets/${ticket.id}/messages?cursor=${b64('{"s":3,"__proto__":{"polluted":true}}')}`, { authorization: `Bearer ${token}` });
    expect(res.statusCode).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a cursor taken from another ticket only pages through this ticket’s own messages', async () => {
    const big = await ticketWith(30);
    const small = await ticketWith(2);
    const first = (await get(`/api/tickets/${big.ticket.id}/messages?limit=5`, { authorization: `Bearer ${big.token}` })).json();
    expect(first.nextCursor).toEqual(expect.any(String));
    const res = await get(`/api/tickets/${small.ticket.id}/messages?limit=100&cursor=${first.nextCursor}`, { authorization: `Bearer ${small.token}` });
    expect(res.statusCode).toBe(200);
    const messages = res.json().messages as Array<{ request_id: string; body: string }>;
    // The cursor is only a position: before seq 27 this ticket has its 3 messages, and nothing of the other.
    expect(messages.map((m) => m.request_id)).toEqual(Array(3).fill(small.ticket.id));
  });

  it('a well-formed cursor far past the end answers the ticket’s messages, never another’s', async () => {
    const { ticket, token } = await ticketWith(1);
    const res = await get(`/api/tickets/${ticket.id}/messages?cursor=${encodeCursor(2_147_483_647)}`, { authorization: `Bearer ${token}` });
    expect(res.statusCode).toBe(200);
    expect(res.json().messages.map((m: { request_id: string }) => m.request_id)).toEqual([ticket.id, ticket.id]);
  });

  it('a forged cursor stores nothing and does not count as a message', async () => {
    const { ticket, token } = await ticketWith(0);
    await get(`/api/tickets/${ticket.id}/messages?cursor=${b64({ s: "1'; INSERT INTO support_messages" })}`, { authorization: `Bearer ${token}` });
    const { rows } = await db().query<{ n: number }>('SELECT count(*)::int AS n FROM support_messages WHERE request_id = $1', [ticket.id]);
    expect(rows[0]!.n).toBe(1);
  });

  it('an unknown query parameter next to a cursor is refused, not ignored', async () => {
    const { ticket, token } = await ticketWith(0);
    expectError(await get(`/api/tickets/${ticket.id}/messages?before=${randomUUID()}`, { authorization: `Bearer ${token}` }), 400, 'invalid_request');
  });
});
