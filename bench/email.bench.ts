import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { PostgresDb } from '../src/server/db/postgres.ts';
import { createLogger } from '../src/server/logger.ts';
import { startEmailDelivery } from '../src/server/modules/email/email.worker.ts';
import { SmtpSink } from '../src/server/modules/email/testing/smtp-sink.ts';
import { createBenchSchema, percentile } from './support/pg-schema.ts';

// E-mail figures (issue 6), on the PostgreSQL server:
//  1. mails per second while one server process (API + its in-process worker) drains 10,000 queued
//     e-mails into a local SMTP sink;
//  2. the API's p95 (GET /api/tickets/:id at a steady pace) while that drain runs, beside its p95 when
//     the queue is idle: the ratio is the figure (aim ≤ 1.2).
// The server, the SMTP sink and the load generator are three processes, as they would be in production.
const EMAILS = 10_000;
const TICKETS = 100;
const IDLE_SECONDS = 8;
const CLIENTS = 4;
const PAUSE_MS = 5;
const DRAIN_BUDGET_MS = 70_000;
const DEADLINE_MS = 115_000;

const self = fileURLToPath(import.meta.url);
const mode = process.argv[2];

/** One line of JSON on stdout, read by the parent. */
function report(value: unknown) {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

if (mode) process.stdin.on('end', () => process.exit(1)).resume();

if (mode === '--sink') {
  const sink = await SmtpSink.start({ parse: false });
  report({ port: sink.port });
  process.on('SIGTERM', async () => {
    const counts = [...sink.counts.values()];
    report({ received: sink.total(), distinct: counts.length, duplicated: counts.filter((n) => n > 1).length });
    await sink.close();
    process.exit(0);
  });
} else if (mode === '--serve') {
  // The load generator is one IP address: the per-IP limits would answer 429 to a benchmark.
  const config = loadConfig({ PORT: '0', DEMO_DATA: 'false', RATE_LIMIT: 'off', SMTP_URL: process.env.BENCH_SMTP_URL, LOG_LEVEL: 'warn' });
  const db = new PostgresDb({ connectionString: process.env.BENCH_DATABASE_URL!, schema: process.env.BENCH_SCHEMA, max: 20 });
  const app = await buildApp({ db, config });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const email = await startEmailDelivery({ db, config, logger: createLogger('warn') });
  const address = app.server.address();
  report({ port: typeof address === 'object' && address ? address.port : 0 });
  process.on('SIGTERM', async () => {
    await app.close();
    await email.stop();
    report({ counters: email.worker.counters });
    await db.close();
    process.exit(0);
  });
} else {
  await main();
}

function child(args: string[], env: Record<string, string> = {}): { proc: ChildProcess; lines: AsyncIterator<string> } {
  // stdin stays open: its end tells a child that the benchmark is gone.
  const proc = spawn(process.execPath, ['--import', 'tsx', self, ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  return { proc, lines };
}

async function nextJson<T>(lines: AsyncIterator<string>): Promise<T> {
  const { value, done } = await lines.next();
  if (done) throw new Error('child exited before answering');
  return JSON.parse(value) as T;
}

async function stop<T>(c: { proc: ChildProcess; lines: AsyncIterator<string> }): Promise<T> {
  c.proc.kill('SIGTERM');
  return nextJson<T>(c.lines);
}

/** Steady GETs from CLIENTS loops until `until` resolves; returns each request's latency in ms. */
async function load(url: string, token: string, until: Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let done = false;
  void until.then(() => (done = true));
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (!done) {
        const started = performance.now();
        const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`GET ticket answered ${res.status}`);
        latencies.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, PAUSE_MS));
      }
    }),
  );
  return latencies;
}

async function main() {
  const watchdog = setTimeout(() => {
    process.stderr.write('email bench: over its time budget\n');
    process.exit(1);
  }, DEADLINE_MS);
  const bench = await createBenchSchema('bench_email');
  const sink = child(['--sink']);
  const { port: smtpPort } = await nextJson<{ port: number }>(sink.lines);
  const server = child(['--serve'], {
    BENCH_DATABASE_URL: bench.url,
    BENCH_SCHEMA: bench.schema,
    BENCH_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
  });
  const { port } = await nextJson<{ port: number }>(server.lines);
  const base = `http://127.0.0.1:${port}`;
  try {
    // The ticket the API load reads, opened through the API (its created e-mail is the first one sent).
    const created = await fetch(`${base}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench.reader@example.com', message: 'Benchmark ticket', lang: 'en' }),
    });
    const { ticket, token } = (await created.json()) as { ticket: { id: string }; token: string };
    const ticketUrl = `${base}/api/tickets/${ticket.id}`;
    const { db } = bench;
    await db.query(
      `INSERT INTO support_requests (email, message, lang, token_hash)
       SELECT 'bench' || g || '@example.com', 'Where is my order number ' || g || '?', 'fr', md5(g::text)
         FROM generate_series(1, $1::int) g`,
      [TICKETS],
    );
    await new Promise((r) => setTimeout(r, 1500)); // the created e-mail above is gone: the queue is idle

    process.stderr.write('measuring the idle API\n');
    const idle = await load(ticketUrl, token, new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000)));

    let drained!: () => void;
    const drainedPromise = new Promise<void>((r) => (drained = r));
    const during = load(ticketUrl, token, drainedPromise);
    const started = performance.now();
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO email_queue (request_id, email_type, recipient_email, lang)
         SELECT r.id, 'created', r.email, r.lang
           FROM generate_series(1, $1::int) g
           JOIN LATERAL (SELECT id, email, lang FROM support_requests WHERE email LIKE 'bench%' ORDER BY email OFFSET (g % $2) LIMIT 1) r ON true`,
        [EMAILS, TICKETS],
      );
      await tx.query(`SELECT pg_notify('tf_email_' || current_schema(), '')`);
    });
    let pending = EMAILS;
    for (let i = 0; pending > 0 && performance.now() - started < DRAIN_BUDGET_MS; i++) {
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM email_queue WHERE status = 'pending'`);
      pending = rows[0]!.n;
      if (i % 50 === 0) process.stderr.write(`  ${pending} pending\n`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    const sent = EMAILS - pending;
    drained();
    const busy = await during;

    const { rows: statuses } = await db.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM email_queue GROUP BY status ORDER BY status',
    );
    const { counters } = await stop<{ counters: Record<string, number> }>(server);
    const received = await stop<{ received: number; distinct: number; duplicated: number }>(sink);

    const idleP95 = percentile(idle, 0.95);
    const busyP95 = percentile(busy, 0.95);
    const ratio = busyP95 / idleP95;
    process.stdout.write(
      [
        pending === 0
          ? `drained ${EMAILS} e-mails in ${seconds.toFixed(1)} s: ${(EMAILS / seconds).toFixed(0)} mails/s`
          : `PARTIAL: ${sent} of ${EMAILS} e-mails sent in the ${seconds.toFixed(0)} s budget: ${(sent / seconds).toFixed(0)} mails/s`,
        `  machine: ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)} at the end`,
        `  queue: ${statuses.map((s) => `${s.status} ${s.n}`).join(', ')}; worker: ${JSON.stringify(counters)}`,
        `  SMTP sink: ${received.received} mails, ${received.distinct} distinct Message-IDs, ${received.duplicated} duplicated`,
        `API p95 (GET /api/tickets/:id, ${CLIENTS} clients): idle ${idleP95.toFixed(2)} ms (n=${idle.length}), ` +
          `while draining ${busyP95.toFixed(2)} ms (n=${busy.length}); ratio ${ratio.toFixed(2)} (aim ≤ 1.2)`,
        '',
      ].join('\n'),
    );
  } finally {
    if (server.proc.exitCode === null) server.proc.kill('SIGKILL');
    if (sink.proc.exitCode === null) sink.proc.kill('SIGKILL');
    await bench.drop();
    clearTimeout(watchdog);
  }
}
