import pino from 'pino';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createTicketViaApi } from '../../test/factories.ts';
import { useTestApp } from '../../test/test-app.ts';
import type { SessionAgent } from '../agents/index.ts';
import { readEmailMetrics, type EmailMetricSample } from './email-metrics.ts';
import { DevMailboxTransport } from './email-transport.ts';
import { EmailWorker } from './email-worker.ts';

// Who is logged in is the agents module's business: here the session lookup answers what each test says.
const session = vi.hoisted(() => ({ agent: null as SessionAgent | null }));
vi.mock('../agents/resolve-session-agent.ts', () => ({ resolveSessionAgent: async () => session.agent }));

const ctx = useTestApp();
const admin: SessionAgent = { id: '00000000-0000-4000-8000-000000000001', email: 'admin@example.com', name: 'Admin', role: 'admin' };
const agent: SessionAgent = { ...admin, id: '00000000-0000-4000-8000-000000000002', role: 'agent' };

beforeEach(() => {
  session.agent = null;
});

/** A worker of the test app's database delivering into the dev mailbox. */
function devMailboxWorker(): EmailWorker {
  return new EmailWorker({
    db: ctx.testDb.db,
    transport: new DevMailboxTransport(ctx.testDb.db),
    logger: pino({ level: 'silent' }),
    publicUrl: ctx.app.config.publicUrl,
    from: ctx.app.config.emailFrom,
    retryBaseSeconds: 1,
    leaseSeconds: 30,
  });
}

describe.each(['/api/debug/emails', '/api/debug/email-queue'])('GET %s', (url) => {
  it('answers 401 without a session', async () => {
    const res = await ctx.app.inject({ url });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
  });

  it('answers 403 to an agent who is not an admin', async () => {
    session.agent = agent;
    const res = await ctx.app.inject({ url, headers: { cookie: 'tf_session=x' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
  });
});

describe('the debug view of e-mail', () => {
  it('lists the dev mailbox newest first and the queue state for an admin', async () => {
    const { ticket } = await createTicketViaApi(ctx.app, { lang: 'en', message: 'First <i>one</i>' });
    const failing = await createTicketViaApi(ctx.app);
    await ctx.testDb.db.query(
      `UPDATE email_queue SET retry_count = 2, last_error = 'ECONNECTION connect ECONNREFUSED', last_attempt_at = now(),
              next_retry_at = now() + interval '1 hour' WHERE request_id = $1`,
      [failing.ticket.id],
    );
    const worker = devMailboxWorker();
    await worker.drain();
    session.agent = admin;

    const mails = await ctx.app.inject({ url: '/api/debug/emails?limit=5', headers: { cookie: 'tf_session=x' } });
    expect(mails.statusCode).toBe(200);
    const body = mails.json();
    expect(body.transport).toBe('dev-mailbox');
    expect(body.emails[0]).toMatchObject({ recipient: ticket.email, subject: expect.stringContaining('we received your request') });
    expect(body.emails[0].html_body).toContain('<!doctype html>');
    expect(body.emails[0].html_body).not.toContain('<i>one</i>');

    const queue = await ctx.app.inject({ url: '/api/debug/email-queue', headers: { cookie: 'tf_session=x' } });
    expect(queue.statusCode).toBe(200);
    const state = queue.json();
    expect(state.byStatus).toMatchObject({ pending: 1, sent: 1, failed: 0, bounced: 0 });
    expect(state).toMatchObject({ transport: 'dev-mailbox', due: 0, retrying: 1 });
    expect(state.oldestPendingSeconds).toBeGreaterThanOrEqual(0);
    expect(state.lastErrors).toEqual([
      expect.objectContaining({ request_id: failing.ticket.id, status: 'pending', retry_count: 2, last_error: 'ECONNECTION connect ECONNREFUSED' }),
    ]);
  });

  it('exports the queue depth by status and the worker outcomes as metric samples', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    const before = await readEmailMetrics(ctx.testDb.db);
    const value = (samples: EmailMetricSample[], name: string, labels: Record<string, string> = {}) =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    const worker = devMailboxWorker();
    await worker.drain();
    const after = await readEmailMetrics(ctx.testDb.db, worker);
    expect(value(after, 'tf_email_queue_emails', { status: 'sent' })).toBe(value(before, 'tf_email_queue_emails', { status: 'sent' })! + 1);
    expect(value(after, 'tf_email_queue_emails', { status: 'failed' })).toBe(0);
    expect(value(after, 'tf_email_deliveries_total', { outcome: 'sent' })).toBe(1);
    expect(after.every((s) => Number.isFinite(s.value))).toBe(true);
    const { rows } = await ctx.testDb.db.query('SELECT status FROM email_queue WHERE request_id = $1', [ticket.id]);
    expect(rows).toEqual([{ status: 'sent' }]);
  });

  it('refuses a limit out of range with 400', async () => {
    session.agent = admin;
    const res = await ctx.app.inject({ url: '/api/debug/emails?limit=1000', headers: { cookie: 'tf_session=x' } });
    expect(res.statusCode).toBe(400);
  });
});
