import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../../contracts/locations.ts';
import { createTicketViaApi, sendMessageViaApi } from '../../test/factories.ts';
import { useTestApp } from '../../test/test-app.ts';
import { runEscalationOnce } from '../tickets/index.ts';
import { clearSupportHours, saveSupportHours } from './support-hours.service.ts';

const ctx = useTestApp();
const BRUSSELS = 'Europe/Brussels';
const everyDay = (open: string, close: string) => [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, open, close }));

/** Support open 11:00–23:00 every day but closed all of today (Brussels): a person answers tomorrow from 11:00. */
function closedTodaySchedule(): Schedule {
  const today = DateTime.now().setZone(BRUSSELS).toISODate()!;
  return { timezone: BRUSSELS, hours: everyDay('11:00', '23:00'), exceptions: [{ date: today, closed: true }] };
}

async function systemMessages(ticketId: string): Promise<string[]> {
  const { rows } = await ctx.testDb.db.query<{ body: string }>(
    `SELECT body FROM support_messages WHERE request_id = $1 AND author_type = 'system' ORDER BY seq`,
    [ticketId],
  );
  return rows.map((r) => r.body);
}

describe('a ticket opened while support is closed', () => {
  it.each([
    ['en', 'Thanks for your message! Our team is away right now: a person will answer tomorrow from 11:00.'],
    ['fr', 'Merci pour votre message\u00a0! Notre équipe est absente pour le moment\u00a0: une personne vous répondra demain à partir de 11h00.'],
    ['nl', 'Bedankt voor je bericht! Ons team is er nu niet: iemand antwoordt je morgen vanaf 11.00 uur.'],
  ] as const)('gets one automatic reply in the customer’s language saying when a person will answer (%s)', async (lang, expected) => {
    await saveSupportHours({ db: ctx.testDb.db, body: closedTodaySchedule() });
    const { ticket } = await createTicketViaApi(ctx.app, { lang });
    expect(await systemMessages(ticket.id)).toEqual([expected]);
  });

  it('gets it once: not again on a retried creation nor on the customer’s next messages', async () => {
    await saveSupportHours({ db: ctx.testDb.db, body: closedTodaySchedule() });
    const input = { email: `night.${randomUUID().slice(0, 8)}@example.com`, message: 'Bonsoir', lang: 'fr', clientId: randomUUID(), clientSecret: 'a'.repeat(43) };
    const first = await ctx.app.inject({ method: 'POST', url: '/api/tickets', payload: input });
    expect(first.statusCode).toBe(201);
    const retry = await ctx.app.inject({ method: 'POST', url: '/api/tickets', payload: input });
    expect(retry.json().ticket.id).toBe(first.json().ticket.id);
    const { ticket, token } = first.json();
    expect((await sendMessageViaApi(ctx.app, ticket, token, 'Vous êtes là ?')).statusCode).toBeLessThan(300);
    expect(await systemMessages(ticket.id)).toHaveLength(1);
  });

  it('gets no automatic reply while support is open, nor when no support hours are set', async () => {
    await saveSupportHours({ db: ctx.testDb.db, body: { timezone: BRUSSELS, hours: everyDay('00:00', '00:00'), exceptions: [] } });
    const open = await createTicketViaApi(ctx.app, { lang: 'en' });
    expect(await systemMessages(open.ticket.id)).toEqual([]);
    await clearSupportHours({ db: ctx.testDb.db });
    const always = await createTicketViaApi(ctx.app, { lang: 'en' });
    expect(await systemMessages(always.ticket.id)).toEqual([]);
  });
});

describe('GET /api/support-hours', () => {
  it('tells the widget when a person will answer, in the language asked', async () => {
    await saveSupportHours({ db: ctx.testDb.db, body: closedTodaySchedule() });
    const en = (await ctx.app.inject({ url: '/api/support-hours?lang=en' })).json();
    expect(en).toMatchObject({ open: false, timezone: BRUSSELS, nextAnswer: 'tomorrow from 11:00' });
    expect(en.opensAt).toMatch(/T11:00:00\+0[12]:00$/);
    const nl = (await ctx.app.inject({ url: '/api/support-hours', headers: { 'accept-language': 'nl-BE' } })).json();
    expect(nl.nextAnswer).toBe('morgen vanaf 11.00 uur');
    expect((await ctx.app.inject({ url: '/api/support-hours?lang=de' })).statusCode).toBe(400);
  });
});

describe('escalation with support hours', () => {
  const windows = { normal: 120 };
  const at = (iso: string) => new Date(iso);

  async function ticketOpenedAt(iso: string) {
    const { ticket } = await createTicketViaApi(ctx.app);
    await ctx.testDb.db.query('UPDATE support_requests SET created_at = $2, priority_changed_at = NULL WHERE id = $1', [ticket.id, iso]);
    return ticket.id;
  }
  async function priorityOf(id: string) {
    const { rows } = await ctx.testDb.db.query<{ priority: string }>('SELECT priority FROM support_requests WHERE id = $1', [id]);
    return rows[0]!.priority;
  }

  it('counts only staffed time: a ticket opened an hour before closing is not raised at night, only 2 staffed hours later', async () => {
    // Support 09:00–18:00 in Brussels; a normal ticket is raised after 120 minutes without a reply.
    await saveSupportHours({ db: ctx.testDb.db, body: { timezone: BRUSSELS, hours: everyDay('09:00', '18:00'), exceptions: [] } });
    const id = await ticketOpenedAt('2026-12-08T17:00:00+01:00');
    await runEscalationOnce(ctx.testDb.db, { windows, now: at('2026-12-08T23:30:00+01:00') });
    await runEscalationOnce(ctx.testDb.db, { windows, now: at('2026-12-09T03:00:00+01:00') });
    expect(await priorityOf(id)).toBe('normal');
    await runEscalationOnce(ctx.testDb.db, { windows, now: at('2026-12-09T09:59:00+01:00') });
    expect(await priorityOf(id)).toBe('normal');
    const raised = await runEscalationOnce(ctx.testDb.db, { windows, now: at('2026-12-09T10:00:00+01:00') });
    expect(raised).toContainEqual({ ticketId: id, from: 'normal', to: 'high' });
  });

  it('counts wall-clock time when no support hours are set', async () => {
    await clearSupportHours({ db: ctx.testDb.db });
    const id = await ticketOpenedAt('2026-12-08T17:00:00+01:00');
    await runEscalationOnce(ctx.testDb.db, { windows, now: at('2026-12-08T18:59:00+01:00') });
    expect(await priorityOf(id)).toBe('normal');
    await runEscalationOnce(ctx.testDb.db, { windows, now: at('2026-12-08T19:00:00+01:00') });
    expect(await priorityOf(id)).toBe('high');
  });
});
