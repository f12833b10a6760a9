import { describe, expect, it } from 'vitest';
import { createLoggedInAgent } from '../../test/agent-factories.ts';
import { useTestApp } from '../../test/test-app.ts';
import { reportRange } from './analytics.service.ts';

const ctx = useTestApp();

/** A ticket with a fixed creation time, written straight to the table. */
async function ticketAt(createdAt: string, status: string, priority: string): Promise<string> {
  const { rows } = await ctx.testDb.db.query<{ id: string }>(
    `INSERT INTO support_requests (email, message, status, priority, token_hash, created_at, updated_at)
     VALUES ('known@example.com', 'known data set', $2, $3, md5(random()::text || clock_timestamp()::text), $1, $1)
     RETURNING id`,
    [createdAt, status, priority],
  );
  return rows[0]!.id;
}

async function analyticsRow(
  metric: string,
  requestId: string,
  createdAt: string,
  fields: { response?: number; resolution?: number; intent?: string | null; metadata?: object; agent?: string } = {},
) {
  await ctx.testDb.db.query(
    `INSERT INTO support_analytics (metric_type, request_id, created_at, response_time_seconds, resolution_time_seconds, user_intent, metadata, agent_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      metric,
      requestId,
      createdAt,
      fields.response ?? null,
      fields.resolution ?? null,
      fields.intent ?? null,
      fields.metadata ? JSON.stringify(fields.metadata) : null,
      fields.agent ?? null,
    ],
  );
}

describe('GET /api/agent/analytics', () => {
  it('computes every figure as worked out by hand on a known data set, ignoring rows outside the range', async () => {
    // In range (2025-03-01 .. 2025-03-03, UTC): four tickets.
    const t1 = await ticketAt('2025-03-01T10:00:00Z', 'resolved', 'high');
    const t2 = await ticketAt('2025-03-01T23:59:59Z', 'open', 'normal');
    const t3 = await ticketAt('2025-03-02T12:00:00Z', 'closed', 'normal');
    const t4 = await ticketAt('2025-03-03T08:00:00Z', 'pending', 'urgent');
    // Just outside, on both sides.
    const t5 = await ticketAt('2025-02-28T23:59:59Z', 'resolved', 'low');
    const t6 = await ticketAt('2025-03-04T00:00:00Z', 'open', 'low');

    await analyticsRow('ticket_created', t1, '2025-03-01T10:00:00Z', { intent: 'complaint' });
    await analyticsRow('ticket_created', t2, '2025-03-01T23:59:59Z', { intent: 'faq' });
    await analyticsRow('ticket_created', t3, '2025-03-02T12:00:00Z', { intent: 'faq' });
    await analyticsRow('ticket_created', t4, '2025-03-03T08:00:00Z', { intent: null });
    await analyticsRow('ticket_created', t5, '2025-02-28T23:59:59Z', { intent: 'problem' });

    // First responses 60, 120, 300, 600 s: mean 270; p90 (linear) = 300 + 0.7 × (600 − 300) = 510.
    await analyticsRow('agent_response', t1, '2025-03-01T10:01:00Z', { response: 60 });
    await analyticsRow('agent_response', t2, '2025-03-02T00:01:59Z', { response: 120 });
    await analyticsRow('agent_response', t3, '2025-03-02T12:05:00Z', { response: 300 });
    await analyticsRow('agent_response', t4, '2025-03-03T08:10:00Z', { response: 600 });
    await analyticsRow('agent_response', t6, '2025-03-04T00:00:00Z', { response: 99_999 });

    // Resolutions 3,600 and 7,200 s: mean 5,400.
    await analyticsRow('ticket_resolved', t1, '2025-03-01T11:00:00Z', { resolution: 3600 });
    await analyticsRow('ticket_resolved', t3, '2025-03-02T14:00:00Z', { resolution: 7200 });
    await analyticsRow('ticket_resolved', t5, '2025-02-28T23:59:59Z', { resolution: 1 });

    // Ratings 5, 4, 2: mean 11 / 3 = 3.67.
    await analyticsRow('user_satisfaction', t1, '2025-03-01T12:00:00Z', { metadata: { score: 5, comment: 'great' } });
    await analyticsRow('user_satisfaction', t3, '2025-03-02T15:00:00Z', { metadata: { score: 4, comment: null } });
    await analyticsRow('user_satisfaction', t2, '2025-03-03T23:59:59Z', { metadata: { score: 2 } });
    await analyticsRow('user_satisfaction', t5, '2025-03-04T00:00:01Z', { metadata: { score: 1 } });

    const agent = await createLoggedInAgent(ctx.app);
    const res = await ctx.app.inject({ url: '/api/agent/analytics?from=2025-03-01&to=2025-03-03', headers: { cookie: agent.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      range: { from: '2025-03-01', to: '2025-03-03', start: '2025-03-01T00:00:00.000Z', end: '2025-03-04T00:00:00.000Z' },
      totalTickets: 4,
      statusBreakdown: { open: 1, pending: 1, resolved: 1, closed: 1 },
      priorityBreakdown: { low: 0, normal: 2, high: 1, urgent: 1 },
      avgResponseTimeSeconds: 270,
      p90ResponseTimeSeconds: 510,
      responseCount: 4,
      avgResolutionTimeSeconds: 5400,
      resolvedCount: 2,
      resolutionRate: 0.5,
      ticketsPerDay: [
        { date: '2025-03-01', count: 2 },
        { date: '2025-03-02', count: 1 },
        { date: '2025-03-03', count: 1 },
      ],
      intentBreakdown: { faq: 2, problem: 0, complaint: 1, compliment: 0, order_tracking: 0, general_inquiry: 0, unknown: 1 },
      csat: { average: 3.67, count: 3, distribution: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 1 } },
      // No chat thread in that range (the chat module's tests count them).
      deflection: { threads: 0, questions: 0, answered: 0, helpful: 0, notHelpful: 0, handedOver: 0, deflected: 0, rate: null },
      perAgent: [],
      escalations: 0,
      messagesPerDay: [
        { date: '2025-03-01', count: 0, customer: 0, agent: 0 },
        { date: '2025-03-02', count: 0, customer: 0, agent: 0 },
        { date: '2025-03-03', count: 0, customer: 0, agent: 0 },
      ],
      ratings: [
        { ticket_id: t2, score: 2, comment: null, created_at: '2025-03-03T23:59:59.000Z' },
        { ticket_id: t3, score: 4, comment: null, created_at: '2025-03-02T15:00:00.000Z' },
        { ticket_id: t1, score: 5, comment: 'great', created_at: '2025-03-01T12:00:00.000Z' },
      ],
    });
  });

  it('computes per-agent first response and resolution, escalations, messages per day by side, as worked out by hand (issue 16)', async () => {
    const sam = await createLoggedInAgent(ctx.app, { name: 'Sam' });
    const lea = await createLoggedInAgent(ctx.app, { name: 'Léa' });
    const gone = '00000000-0000-4000-8000-00000000dead';
    const t1 = await ticketAt('2025-04-01T09:00:00Z', 'resolved', 'normal');
    const t2 = await ticketAt('2025-04-01T10:00:00Z', 'open', 'high');
    const t3 = await ticketAt('2025-04-02T10:00:00Z', 'resolved', 'normal');
    // Sam: first responses 100 and 300 s (mean 200), resolved one in 3,000 s, three replies.
    await analyticsRow('agent_response', t1, '2025-04-01T09:01:40Z', { response: 100, agent: sam.id });
    await analyticsRow('agent_response', t3, '2025-04-02T10:05:00Z', { response: 300, agent: sam.id });
    await analyticsRow('ticket_resolved', t1, '2025-04-01T09:50:00Z', { resolution: 3000, agent: sam.id });
    for (const at of ['2025-04-01T09:01:40Z', '2025-04-01T09:30:00Z', '2025-04-02T10:05:00Z']) {
      await analyticsRow('message_sent', t1, at, { agent: sam.id, metadata: { author_type: 'agent' } });
    }
    // Léa: one first response (60 s), two resolutions (1,000 and 2,000 s: mean 1,500), one reply.
    await analyticsRow('agent_response', t2, '2025-04-01T10:01:00Z', { response: 60, agent: lea.id });
    await analyticsRow('ticket_resolved', t3, '2025-04-02T11:00:00Z', { resolution: 1000, agent: lea.id });
    await analyticsRow('ticket_resolved', t2, '2025-04-03T00:00:00Z', { resolution: 2000, agent: lea.id });
    await analyticsRow('message_sent', t2, '2025-04-01T10:01:00Z', { agent: lea.id, metadata: { author_type: 'agent' } });
    // A deleted account still counts, without a name; outside the range nothing counts.
    await analyticsRow('message_sent', t2, '2025-04-02T08:00:00Z', { agent: gone, metadata: { author_type: 'agent' } });
    await analyticsRow('message_sent', t2, '2025-04-04T00:00:00Z', { agent: sam.id, metadata: { author_type: 'agent' } });
    // Customers' messages: two on the 1st, one on the 3rd.
    for (const at of ['2025-04-01T09:00:00Z', '2025-04-01T10:00:00Z', '2025-04-03T12:00:00Z']) {
      await analyticsRow('message_sent', t1, at, { metadata: { author_type: 'user' } });
    }
    // Escalations: two in range, one just before it.
    await analyticsRow('timeout_escalation', t2, '2025-04-01T10:30:00Z');
    await analyticsRow('timeout_escalation', t2, '2025-04-03T23:59:59Z');
    await analyticsRow('timeout_escalation', t2, '2025-03-31T23:59:59Z');

    const res = await ctx.app.inject({ url: '/api/agent/analytics?from=2025-04-01&to=2025-04-03', headers: { cookie: sam.cookie } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.perAgent).toEqual([
      { agent_id: sam.id, name: 'Sam', firstResponses: 2, avgFirstResponseSeconds: 200, resolved: 1, avgResolutionSeconds: 3000, replies: 3 },
      ...[
        { agent_id: lea.id, name: 'Léa', firstResponses: 1, avgFirstResponseSeconds: 60, resolved: 2, avgResolutionSeconds: 1500, replies: 1 },
        { agent_id: gone, name: null, firstResponses: 0, avgFirstResponseSeconds: null, resolved: 0, avgResolutionSeconds: null, replies: 1 },
      ].sort((a, b) => a.agent_id.localeCompare(b.agent_id)),
    ]);
    expect(body.escalations).toBe(2);
    expect(body.messagesPerDay).toEqual([
      { date: '2025-04-01', count: 5, customer: 2, agent: 3 },
      { date: '2025-04-02', count: 2, customer: 0, agent: 2 },
      { date: '2025-04-03', count: 1, customer: 1, agent: 0 },
    ]);
  });

  it('answers 401 without a session', async () => {
    const res = await ctx.app.inject({ url: '/api/agent/analytics?from=2025-04-01&to=2025-04-03' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
  });

  it('answers nulls, zeros and every day of the range when nothing happened', async () => {
    const agent = await createLoggedInAgent(ctx.app);
    const res = await ctx.app.inject({ url: '/api/agent/analytics?from=2020-01-30&to=2020-02-02', headers: { cookie: agent.cookie } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      totalTickets: 0,
      avgResponseTimeSeconds: null,
      p90ResponseTimeSeconds: null,
      avgResolutionTimeSeconds: null,
      resolutionRate: null,
      csat: { average: null, count: 0 },
    });
    expect(body.ticketsPerDay.map((d: { date: string }) => d.date)).toEqual(['2020-01-30', '2020-01-31', '2020-02-01', '2020-02-02']);
  });

  it('defaults to the last 30 days, today included', async () => {
    const agent = await createLoggedInAgent(ctx.app);
    const body = (await ctx.app.inject({ url: '/api/agent/analytics', headers: { cookie: agent.cookie } })).json();
    expect(body.ticketsPerDay).toHaveLength(30);
    expect(body.range.to).toBe(body.ticketsPerDay[29].date);
  });

  it('accepts ISO date-times with Z or an offset for from and to, counting from and up to those instants', async () => {
    await ticketAt('2025-05-10T09:59:59Z', 'open', 'normal');
    await ticketAt('2025-05-10T10:00:00Z', 'open', 'normal');
    await ticketAt('2025-05-11T11:59:59Z', 'open', 'normal');
    await ticketAt('2025-05-11T12:00:00Z', 'open', 'normal');
    const agent = await createLoggedInAgent(ctx.app);
    const get = (q: string) => ctx.app.inject({ url: `/api/agent/analytics?${q}`, headers: { cookie: agent.cookie } });

    const res = await get('from=2025-05-10T10:00:00Z&to=2025-05-11T12:00:00Z');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      range: { from: '2025-05-10', to: '2025-05-11', start: '2025-05-10T10:00:00.000Z', end: '2025-05-11T12:00:00.000Z' },
      totalTickets: 2,
      ticketsPerDay: [
        { date: '2025-05-10', count: 1 },
        { date: '2025-05-11', count: 1 },
      ],
    });
    // 11:00 at +01:00 is 10:00 UTC; the fraction of a second is allowed too.
    const offset = await get(`from=${encodeURIComponent('2025-05-10T11:00:00+01:00')}&to=2025-05-11T12:00:00.000Z`);
    expect(offset.statusCode).toBe(200);
    expect(offset.json().totalTickets).toBe(2);
  });

  it('counts a date-only `to` whole and a date-only `from` from its 00:00 UTC, also beside a date-time', async () => {
    await ticketAt('2025-06-01T00:00:00Z', 'open', 'normal');
    await ticketAt('2025-06-02T23:59:59Z', 'open', 'normal');
    await ticketAt('2025-06-03T00:00:00Z', 'open', 'normal');
    const agent = await createLoggedInAgent(ctx.app);
    const mixed = await ctx.app.inject({ url: '/api/agent/analytics?from=2025-06-01&to=2025-06-02T23:00:00Z', headers: { cookie: agent.cookie } });
    expect(mixed.json()).toMatchObject({ range: { start: '2025-06-01T00:00:00.000Z', end: '2025-06-02T23:00:00.000Z' }, totalTickets: 1 });
    const days = await ctx.app.inject({ url: '/api/agent/analytics?from=2025-06-01T00:00:00Z&to=2025-06-02', headers: { cookie: agent.cookie } });
    expect(days.json()).toMatchObject({ range: { from: '2025-06-01', to: '2025-06-02', end: '2025-06-03T00:00:00.000Z' }, totalTickets: 2 });
  });

  it('answers 400 for from after to, a range over 366 days, and malformed dates', async () => {
    const agent = await createLoggedInAgent(ctx.app);
    for (const q of [
      'from=2025-03-02&to=2025-03-01',
      'from=2024-01-01&to=2025-01-01',
      'from=2025-02-30',
      'from=yesterday',
      'to=2025-13-01',
      'from=2025-03-01T10:00:00',
      'from=2025-03-01T25:00:00Z',
      'to=2025-03-01T10:00:00Z&from=2025-03-01T10:00:00Z',
      'from=2025-03-01Tgarbage',
    ]) {
      const res = await ctx.app.inject({ url: `/api/agent/analytics?${q}`, headers: { cookie: agent.cookie } });
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
    expect((await ctx.app.inject({ url: '/api/agent/analytics?from=2024-01-01&to=2024-12-31', headers: { cookie: agent.cookie } })).statusCode).toBe(200);
  });
});

describe('reportRange', () => {
  it('covers whole UTC days, the last one included', () => {
    const r = reportRange({ from: '2025-03-01', to: '2025-03-03' });
    expect(r.start.toISOString()).toBe('2025-03-01T00:00:00.000Z');
    expect(r.end.toISOString()).toBe('2025-03-04T00:00:00.000Z');
  });

  it('reaches back 29 days before `to` by default', () => {
    const r = reportRange({}, new Date('2025-03-31T18:00:00Z'));
    expect(r).toMatchObject({ firstDay: '2025-03-02', lastDay: '2025-03-31' });
  });
});
