import { describe, expect, it } from 'vitest';
import { createLoggedInAgent } from '../../test/agent-factories.ts';
import { useTestApp } from '../../test/test-app.ts';

const ctx = useTestApp();

/** A ticket created `ageHours` ago with this status, written straight to the table. */
async function ticket(status: string, ageHours = 1): Promise<string> {
  const { rows } = await ctx.testDb.db.query<{ id: string }>(
    `INSERT INTO support_requests (email, message, status, priority, token_hash, created_at, updated_at)
     VALUES ('checklist@example.com', 'checklist data set', $1, 'normal', md5(random()::text || clock_timestamp()::text),
             now() - ($2::float8 * interval '1 hour'), now() - ($2::float8 * interval '1 hour'))
     RETURNING id`,
    [status, ageHours],
  );
  return rows[0]!.id;
}

const firstResponse = (requestId: string, seconds: number, ageHours: number) =>
  ctx.testDb.db.query(
    `INSERT INTO support_analytics (metric_type, request_id, response_time_seconds, created_at)
     VALUES ('agent_response', $1, $2, now() - ($3::float8 * interval '1 hour'))`,
    [requestId, seconds, ageHours],
  );

const errorLog = (source: 'server' | 'client', ageHours: number) =>
  ctx.testDb.db.query(
    `INSERT INTO error_logs (source, error_type, message, created_at) VALUES ($1, 'Error', 'checklist', now() - ($2::float8 * interval '1 hour'))`,
    [source, ageHours],
  );

describe('GET /api/agent/checklist', () => {
  it('counts the last 24 h of errors by source and first responses, and every ticket open now', async () => {
    // Open now: three, one of them 10 days old (still open, still counted). Not open: pending, resolved.
    const open = [await ticket('open'), await ticket('open', 5), await ticket('open', 240)];
    await ticket('pending');
    const resolved = await ticket('resolved', 30);
    // First responses in the window: 60 s and 180 s (mean 120); one 30 h ago is left out.
    await firstResponse(open[0]!, 60, 0.5);
    await firstResponse(open[1]!, 180, 23);
    await firstResponse(resolved, 99_999, 30);
    // Errors in the window: 2 server, 3 client; 25 h ago: left out.
    for (const age of [1, 20]) await errorLog('server', age);
    for (const age of [0.1, 2, 23.5]) await errorLog('client', age);
    await errorLog('server', 25);
    await errorLog('client', 48);

    const agent = await createLoggedInAgent(ctx.app);
    const res = await ctx.app.inject({ url: '/api/agent/checklist', headers: { cookie: agent.cookie } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      errors: { server: 2, client: 3, total: 5 },
      openTickets: 3,
      avgFirstResponseSeconds: 120,
      firstResponses: 2,
    });
    expect(Date.parse(body.until) - Date.parse(body.since)).toBe(24 * 3600 * 1000);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers 401 without a session', async () => {
    const res = await ctx.app.inject({ url: '/api/agent/checklist' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
  });
});

describe('GET /api/agent/metrics-summary', () => {
  it('gives any agent (not only admins) the per-name, per-day summary computed in SQL', async () => {
    const now = Date.now();
    const values = [120, 80, 100, 300, 200];
    await ctx.app.inject({
      method: 'POST',
      url: '/api/metrics',
      payload: { metrics: values.map((value) => ({ name: 'checklist_render', value, timestamp: now })) },
    });
    const agent = await createLoggedInAgent(ctx.app, { role: 'agent' });
    const res = await ctx.app.inject({ url: '/api/agent/metrics-summary?days=7', headers: { cookie: agent.cookie } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.metrics).toEqual([
      { day: new Date().toISOString().slice(0, 10), name: 'checklist_render', count: 5, avg: 160, min: 80, max: 300, p95: 300 },
    ]);
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(7 * 86_400_000);
  });

  it('answers 401 without a session and 400 for a range over 31 days', async () => {
    expect((await ctx.app.inject({ url: '/api/agent/metrics-summary' })).statusCode).toBe(401);
    const agent = await createLoggedInAgent(ctx.app);
    const res = await ctx.app.inject({ url: '/api/agent/metrics-summary?days=32', headers: { cookie: agent.cookie } });
    expect(res.statusCode).toBe(400);
  });
});
