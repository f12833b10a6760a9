import { describe, expect, it } from 'vitest';
import { createTicketViaApi } from '../../test/factories.ts';
import { useTestApp } from '../../test/test-app.ts';
import { onPostgres } from '../../test/test-db.ts';
import { appendMessage } from './append-message.ts';
import { BUS_CHANNEL_SQL } from '../../events/bus.ts';
import { parseEscalationWindows } from '../../escalation-windows.ts';
import { runEscalationOnce } from './escalate-overdue.ts';

const ctx = useTestApp();
const windows = { low: 240, normal: 120, high: 30 };

async function ticketState(id: string) {
  const { rows } = await ctx.testDb.db.query<{ priority: string }>('SELECT priority FROM support_requests WHERE id = $1', [id]);
  return rows[0]!.priority;
}

async function createdAt(id: string): Promise<Date> {
  const { rows } = await ctx.testDb.db.query<{ created_at: Date }>('SELECT created_at FROM support_requests WHERE id = $1', [id]);
  return rows[0]!.created_at;
}

const plusMinutes = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);

async function escalationsOf(id: string) {
  const { rows } = await ctx.testDb.db.query<{ metadata: { from: string; to: string } }>(
    `SELECT metadata FROM support_analytics WHERE request_id = $1 AND metric_type = 'timeout_escalation' ORDER BY created_at`,
    [id],
  );
  return rows.map((r) => `${r.metadata.from}->${r.metadata.to}`);
}

describe('runEscalationOnce', () => {
  it('raises an unanswered ticket one step per elapsed window, up to urgent and no further', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    const t0 = await createdAt(ticket.id);

    await runEscalationOnce(ctx.testDb.db, { windows, now: plusMinutes(t0, 119) });
    expect(await ticketState(ticket.id)).toBe('normal');

    const first = await runEscalationOnce(ctx.testDb.db, { windows, now: plusMinutes(t0, 121) });
    expect(first).toContainEqual({ ticketId: ticket.id, from: 'normal', to: 'high' });
    expect(await ticketState(ticket.id)).toBe('high');

    // The high window (30 min) counts from that escalation, not from the creation.
    await runEscalationOnce(ctx.testDb.db, { windows, now: plusMinutes(t0, 121) });
    await runEscalationOnce(ctx.testDb.db, { windows, now: plusMinutes(t0, 150) });
    expect(await ticketState(ticket.id)).toBe('high');

    await runEscalationOnce(ctx.testDb.db, { windows, now: plusMinutes(t0, 152) });
    expect(await ticketState(ticket.id)).toBe('urgent');
    await runEscalationOnce(ctx.testDb.db, { windows, now: plusMinutes(t0, 10_000) });
    expect(await ticketState(ticket.id)).toBe('urgent');
    expect(await escalationsOf(ticket.id)).toEqual(['normal->high', 'high->urgent']);
  });

  it('records each step in agent_actions without an agent, and publishes ticket.updated', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    const db = ctx.testDb.db;
    const { rows } = await db.query<{ c: string }>(`SELECT ${BUS_CHANNEL_SQL} AS c`);
    const events: { type: string; ticketId?: string }[] = [];
    const unlisten = await db.listen(rows[0]!.c, (p) => events.push(JSON.parse(p)));
    try {
      await runEscalationOnce(db, { windows, now: plusMinutes(await createdAt(ticket.id), 121) });
      await expect.poll(() => events.some((e) => e.type === 'ticket.updated' && e.ticketId === ticket.id)).toBe(true);
    } finally {
      await unlisten();
    }
    const actions = await db.query<{ agent_id: string | null; action: string; details: { from: string; to: string } }>(
      'SELECT agent_id, action, details FROM agent_actions WHERE ticket_id = $1',
      [ticket.id],
    );
    expect(actions.rows).toEqual([
      { agent_id: null, action: 'timeout_escalation', details: expect.objectContaining({ from: 'normal', to: 'high' }) },
    ]);
  });

  it('never escalates a ticket an agent answered', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    await ctx.testDb.db.transaction((tx) => appendMessage(tx, { ticketId: ticket.id, authorType: 'agent', body: 'On regarde ça.' }));
    await runEscalationOnce(ctx.testDb.db, { windows, now: plusMinutes(await createdAt(ticket.id), 1000) });
    expect(await ticketState(ticket.id)).toBe('normal');
    expect(await escalationsOf(ticket.id)).toEqual([]);
  });

  it('never escalates a resolved or pending ticket', async () => {
    const resolved = await createTicketViaApi(ctx.app);
    const pending = await createTicketViaApi(ctx.app);
    await ctx.testDb.db.query(`UPDATE support_requests SET status = 'resolved' WHERE id = $1`, [resolved.ticket.id]);
    await ctx.testDb.db.query(`UPDATE support_requests SET status = 'pending' WHERE id = $1`, [pending.ticket.id]);
    await runEscalationOnce(ctx.testDb.db, { windows, now: plusMinutes(new Date(), 1000) });
    expect(await ticketState(resolved.ticket.id)).toBe('normal');
    expect(await ticketState(pending.ticket.id)).toBe('normal');
  });

  it('restarts the clock when an agent changes the priority by hand', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    await ctx.testDb.db.query(`UPDATE support_requests SET created_at = now() - interval '10 hours' WHERE id = $1`, [ticket.id]);
    await ctx.testDb.db.query(`UPDATE support_requests SET priority = 'low' WHERE id = $1`, [ticket.id]);
    await runEscalationOnce(ctx.testDb.db, { windows, now: plusMinutes(new Date(), 200) });
    expect(await ticketState(ticket.id)).toBe('low');
    await runEscalationOnce(ctx.testDb.db, { windows, now: plusMinutes(new Date(), 245) });
    expect(await ticketState(ticket.id)).toBe('normal');
  });

  it('leaves a priority alone when its window is not configured', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    await runEscalationOnce(ctx.testDb.db, { windows: { low: 10 }, now: plusMinutes(new Date(), 10_000) });
    expect(await ticketState(ticket.id)).toBe('normal');
    expect(await runEscalationOnce(ctx.testDb.db, { windows: {}, now: plusMinutes(new Date(), 10_000) })).toEqual([]);
  });

  it.skipIf(!onPostgres)('escalates each ticket exactly once when several instances run at the same time', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 40; i += 1) ids.push((await createTicketViaApi(ctx.app)).ticket.id);
    await ctx.testDb.db.query(`UPDATE support_requests SET created_at = now() - interval '3 hours' WHERE id = ANY($1::uuid[])`, [ids]);
    const now = new Date();
    const runs = await Promise.all(Array.from({ length: 4 }, () => runEscalationOnce(ctx.testDb.db, { windows, now })));
    const mine = runs.flat().filter((e) => ids.includes(e.ticketId));
    expect(mine).toHaveLength(ids.length);
    expect(new Set(mine.map((e) => e.ticketId)).size).toBe(ids.length);
    const { rows } = await ctx.testDb.db.query<{ n: number; high: number }>(
      `SELECT (SELECT count(*)::int FROM support_analytics WHERE metric_type = 'timeout_escalation' AND request_id = ANY($1::uuid[])) AS n,
              (SELECT count(*)::int FROM support_requests WHERE priority = 'high' AND id = ANY($1::uuid[])) AS high`,
      [ids],
    );
    expect(rows[0]).toEqual({ n: ids.length, high: ids.length });
  });
});

describe('parseEscalationWindows', () => {
  it('reads priority:minutes pairs, "off" as none, and refuses anything else with a readable message', () => {
    expect(parseEscalationWindows('low:240, normal:120,high:30')).toEqual({ low: 240, normal: 120, high: 30 });
    expect(parseEscalationWindows('off')).toEqual({});
    expect(() => parseEscalationWindows('urgent:5')).toThrow(/priority among low, normal, high/);
    expect(() => parseEscalationWindows('normal:0')).toThrow(/positive/);
  });
});
