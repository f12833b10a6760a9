import { describe, expect, it } from 'vitest';
import { createTicketViaApi } from '../../test/factories.ts';
import { useTestApp } from '../../test/test-app.ts';

const ctx = useTestApp();

function rate(ticketId: string, token: string | null, payload: object) {
  return ctx.app.inject({
    method: 'POST',
    url: `/api/tickets/${ticketId}/rating`,
    payload,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

async function setStatus(id: string, status: string) {
  await ctx.testDb.db.query('UPDATE support_requests SET status = $2 WHERE id = $1', [id, status]);
}

describe('POST /api/tickets/:id/rating', () => {
  it('stores one rating of a resolved ticket as a user_satisfaction row and answers 201', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    await setStatus(ticket.id, 'resolved');
    const res = await rate(ticket.id, token, { score: 4, comment: '  Quick and kind  ' });
    expect(res.statusCode).toBe(201);
    expect(res.json().rating).toMatchObject({ score: 4, comment: 'Quick and kind' });
    const { rows } = await ctx.testDb.db.query(`SELECT metadata FROM support_analytics WHERE request_id = $1 AND metric_type = 'user_satisfaction'`, [ticket.id]);
    expect(rows).toEqual([{ metadata: { score: 4, comment: 'Quick and kind' } }]);
  });

  it('accepts a closed ticket and a rating without comment', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    await setStatus(ticket.id, 'closed');
    const res = await rate(ticket.id, token, { score: 1 });
    expect(res.statusCode).toBe(201);
    expect(res.json().rating.comment).toBeNull();
  });

  it('answers 409 to a second rating and keeps the first', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app, { lang: 'en' });
    await setStatus(ticket.id, 'resolved');
    expect((await rate(ticket.id, token, { score: 5 })).statusCode).toBe(201);
    const again = await rate(ticket.id, token, { score: 1 });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({ error: { code: 'conflict', message: expect.stringContaining('already rated') } });
    const { rows } = await ctx.testDb.db.query(`SELECT metadata->>'score' AS score FROM support_analytics WHERE request_id = $1 AND metric_type = 'user_satisfaction'`, [ticket.id]);
    expect(rows).toEqual([{ score: '5' }]);
  });

  it('answers 409 while the ticket is open or pending', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    expect((await rate(ticket.id, token, { score: 3 })).statusCode).toBe(409);
    await setStatus(ticket.id, 'pending');
    expect((await rate(ticket.id, token, { score: 3 })).statusCode).toBe(409);
  });

  it('answers 401 without a token, 404 with another ticket’s token, 400 for a score outside 1..5', async () => {
    const a = await createTicketViaApi(ctx.app);
    const b = await createTicketViaApi(ctx.app);
    await setStatus(a.ticket.id, 'resolved');
    expect((await rate(a.ticket.id, null, { score: 3 })).statusCode).toBe(401);
    expect((await rate(a.ticket.id, b.token, { score: 3 })).statusCode).toBe(404);
    for (const score of [0, 6, 3.5, '4']) expect((await rate(a.ticket.id, a.token, { score })).statusCode).toBe(400);
    expect((await rate(a.ticket.id, a.token, { score: 3, extra: true })).statusCode).toBe(400);
  });
});
