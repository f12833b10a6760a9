import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/test-app.ts';
import { runRetentionOnce } from '../metrics/index.ts';

const ctx = useTestApp();
const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = new Date();
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS).toISOString();
const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => ctx.testDb.db.query<T>(sql, params);

async function ticket(label: string, o: { status: string; updatedDaysAgo: number; legalHold?: boolean }) {
  const email = `${label}.${randomBytes(3).toString('hex')}@example.com`;
  const res = await ctx.app.inject({ method: 'POST', url: '/api/tickets', payload: { email, message: `Message of ${label}`, lang: 'en' } });
  const id = res.json().ticket.id as string;
  await q(`UPDATE support_requests SET status = $2, legal_hold = $3 WHERE id = $1`, [id, o.status, o.legalHold ?? false]);
  await q(`UPDATE support_requests SET updated_at = $2 WHERE id = $1`, [id, daysAgo(o.updatedDaysAgo)]);
  return { id, email };
}

describe('retention (issue 21): the privacy periods', () => {
  it('removes exactly what is past its period: closed tickets anonymised, sent e-mails, access-record lines and expired requests deleted', async () => {
    const old = await ticket('old-resolved', { status: 'resolved', updatedDaysAgo: 731 });
    const oldClosed = await ticket('old-closed', { status: 'closed', updatedDaysAgo: 900 });
    const recent = await ticket('recent-resolved', { status: 'resolved', updatedDaysAgo: 729 });
    const open = await ticket('old-open', { status: 'open', updatedDaysAgo: 900 });
    const held = await ticket('old-held', { status: 'closed', updatedDaysAgo: 900, legalHold: true });

    // The outbox: the creation e-mails above are pending (kept whatever their age); three sent ones of various ages.
    await q(`DELETE FROM email_queue`);
    for (const [days, status] of [[91, 'sent'], [200, 'failed'], [89, 'sent'], [300, 'pending']] as const) {
      await q(`INSERT INTO email_queue (request_id, email_type, recipient_email, status, created_at) VALUES ($1, 'created', 'x@example.com', $2, $3)`, [
        recent.id,
        status,
        daysAgo(days),
      ]);
    }
    await q(`DELETE FROM privacy_access_log`);
    for (const days of [366, 400, 364]) {
      await q(`INSERT INTO privacy_access_log (actor, action, subject, at) VALUES ('agent', 'view', $1, $2)`, ['0'.repeat(32), daysAgo(days)]);
    }
    await q(`INSERT INTO privacy_requests (kind, email, lang, expires_at) VALUES ('export', 'a@example.com', 'fr', $1), ('erase', 'b@example.com', 'fr', $2)`, [
      daysAgo(1),
      daysAgo(-1),
    ]);

    const result = await runRetentionOnce({
      db: ctx.testDb.db,
      clientMetricsDays: 30,
      errorLogsDays: 90,
      closedTicketsDays: 730,
      sentEmailsDays: 90,
      accessRecordDays: 365,
      now: NOW,
      batchSize: 1,
    });
    expect(result).toEqual({ ran: true, clientMetrics: 0, errorLogs: 0, closedTickets: 2, sentEmails: 2, accessRecord: 2, privacyRequests: 1 });

    const { rows } = await q<{ id: string; email: string; message: string; erased: boolean }>(
      `SELECT id, email, message, erased_at IS NOT NULL AS erased FROM support_requests WHERE id = ANY($1::uuid[])`,
      [[old.id, oldClosed.id, recent.id, open.id, held.id]],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const t of [old, oldClosed]) {
      expect(byId.get(t.id)).toMatchObject({ erased: true, message: '[erased]', email: expect.stringMatching(/@erased\.invalid$/) });
      const messages = await q<{ body: string }>(`SELECT body FROM support_messages WHERE request_id = $1`, [t.id]);
      expect(messages.rows.every((m) => m.body === '[erased]')).toBe(true);
    }
    for (const t of [recent, open, held]) expect(byId.get(t.id)).toMatchObject({ erased: false, email: t.email });
    const emails = await q<{ status: string }>(`SELECT status FROM email_queue ORDER BY created_at`);
    expect(emails.rows.map((e) => e.status)).toEqual(['pending', 'sent']);
    expect((await q<{ n: number }>(`SELECT count(*)::int AS n FROM privacy_access_log WHERE action = 'view'`)).rows[0]).toEqual({ n: 1 });
    expect((await q<{ kind: string }>(`SELECT kind FROM privacy_requests`)).rows).toEqual([{ kind: 'erase' }]);
    // The anonymisation is itself in the access record, as the retention job's.
    expect((await q<{ n: number }>(`SELECT count(*)::int AS n FROM privacy_access_log WHERE actor = 'retention' AND action = 'erase'`)).rows[0]).toEqual({ n: 2 });
  });
});
