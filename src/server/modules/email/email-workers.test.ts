import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDb } from '../../db/postgres.ts';
import { createTicketViaApi } from '../../test/factories.ts';
import { useTestApp } from '../../test/test-app.ts';
import { onPostgres } from '../../test/test-db.ts';
import { SmtpTransport } from './email-transport.ts';
import { EmailWorker } from './email-worker.ts';
import { SmtpSink } from '../../test/smtp-sink.ts';

// Several workers, several processes: only the PostgreSQL server shows real concurrency.
const ctx = useTestApp();
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
let sink: SmtpSink;
const children: ChildProcess[] = [];

beforeAll(async () => {
  sink = await SmtpSink.start({ parse: false });
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await sink?.close();
});

async function statusCounts(): Promise<Record<string, number>> {
  const { rows } = await ctx.testDb.db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM email_queue GROUP BY status');
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

async function until(check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `npm run worker` on this test's schema, as its own process. */
function spawnWorker(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: ctx.testDb.url!,
      DATABASE_SCHEMA: ctx.testDb.schema!,
      SMTP_URL: sink.url,
      PUBLIC_URL: ctx.app.config.publicUrl,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

describe('workers on the PostgreSQL server', () => {
  it.skipIf(!onPostgres)('sends every row exactly once when two workers on two connection pools race over the queue', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    // 300 more e-mails owed for this ticket, queued at once.
    await ctx.testDb.db.query(
      `INSERT INTO email_queue (request_id, email_type, recipient_email, lang)
       SELECT $1, 'created', $2, 'en' FROM generate_series(1, 300)`,
      [ticket.id, ticket.email],
    );
    const secondDb = new PostgresDb({ connectionString: ctx.testDb.url!, schema: ctx.testDb.schema, max: 10 });
    const transports = [new SmtpTransport(sink.url), new SmtpTransport(sink.url)];
    const common = { logger: pino({ level: 'silent' }), publicUrl: ctx.app.config.publicUrl, from: ctx.app.config.emailFrom, retryBaseSeconds: 1, leaseSeconds: 60, batchSize: 5 };
    const a = new EmailWorker({ ...common, db: ctx.testDb.db, transport: transports[0]! });
    const b = new EmailWorker({ ...common, db: secondDb, transport: transports[1]! });
    const before = sink.total();
    try {
      await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
    } finally {
      for (const t of transports) await t.close();
      await secondDb.close();
    }
    expect(await statusCounts()).toEqual({ sent: 301 });
    expect(sink.total() - before).toBe(301);
    expect([...sink.counts.values()].every((n) => n === 1)).toBe(true);
    expect(a.counters.sent + b.counters.sent).toBe(301);
    expect(a.counters.leaseLost + b.counters.leaseLost).toBe(0);
  });

  it.skipIf(!onPostgres)('sends an e-mail claimed by a worker killed with SIGKILL once its lease expired, exactly once', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    const { rows } = await ctx.testDb.db.query<{ id: string }>('SELECT id FROM email_queue WHERE request_id = $1', [ticket.id]);
    const messageId = `<${rows[0]!.id}@localhost>`;

    const first = spawnWorker({ EMAIL_LEASE_SECONDS: '2', EMAIL_WORKER_PAUSE_AFTER_CLAIM_MS: '120000' });
    let firstOut = '';
    first.stdout!.on('data', (d: Buffer) => (firstOut += d.toString()));
    await until(async () => firstOut.includes('test hook: pausing after claim'));
    const claimed = await ctx.testDb.db.query<{ locked_by: string | null; status: string }>('SELECT locked_by, status FROM email_queue WHERE id = $1', [rows[0]!.id]);
    expect(claimed.rows[0]).toMatchObject({ status: 'pending', locked_by: expect.any(String) });
    first.kill('SIGKILL');
    await exited(first);
    expect(sink.counts.get(messageId)).toBeUndefined();

    const second = spawnWorker({ EMAIL_LEASE_SECONDS: '2' });
    await until(async () => (await ctx.testDb.db.query<{ status: string }>('SELECT status FROM email_queue WHERE id = $1', [rows[0]!.id])).rows[0]!.status === 'sent');
    second.kill('SIGTERM');
    await exited(second);
    expect(second.exitCode).toBe(0);
    expect(sink.counts.get(messageId)).toBe(1);
  });
});
