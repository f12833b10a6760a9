import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { PostgresDb } from '../src/server/db/postgres.ts';
import { createLogger } from '../src/server/logger.ts';
import { createMailTransport } from '../src/server/modules/email/email-transport.ts';
import { EmailWorker } from '../src/server/modules/email/email-worker.ts';
import { serverBusySignal } from '../src/server/modules/email/email-throttle.ts';
import { SmtpSink } from '../src/server/test/smtp-sink.ts';
import { createBenchSchema, percentile } from './support/pg-schema.ts';

// E-mail figures (issue 6), on the PostgreSQL server:
//  1. mails per second while one server process (API + its in-process worker) drains 10,000 queued
//     e-mails into a local SMTP sink;
//  2. the API's p95 (GET /api/tickets/:id at a steady pace) while that drain runs, beside its p95 when
//     the worker is idle: the ratio is the figure (aim ≤ 1.2). Idle and draining windows alternate.
// Bounded: past MEASURE_BUDGET_MS the drain stops and the rate over the part drained is reported.
// The server, the SMTP sink and the load generator are three processes, as they would be in production.
const EMAILS = 10_000;
const TICKETS = 100;
const IDLE_WINDOW_MS = 3_000;
const BUSY_WINDOW_MS = 6_000;
const CLIENTS = 4;
const PAUSE_MS = 5;
const MEASURE_BUDGET_MS = 66_000;
const DEADLINE_MS = 118_000;

const self = fileURLToPath(import.meta.url);
const mode = process.argv[2];

/** One line of JSON on stdout, read by the parent. */
function report(value: unknown) {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

if (mode) process.stdin.on('end', () => process.exit(1));

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
  // The worker the server runs (same settings as startEmailDelivery, throttle included), started and stopped on command.
  const transport = createMailTransport({ smtpUrl: config.smtpUrl, db });
  const worker = new EmailWorker({
    db,
    transport,
    logger: createLogger('warn'),
    publicUrl: config.publicUrl,
    from: config.emailFrom,
    retryBaseSeconds: config.emailRetryBaseSeconds,
    leaseSeconds: config.emailLeaseSeconds,
    // As main.ts: the in-process worker yields to the API (BENCH_EMAIL_THROTTLE=off: full speed).
    throttle: process.env.BENCH_EMAIL_THROTTLE === 'off' ? undefined : { signal: serverBusySignal(app.server) },
  });
  const address = app.server.address();
  report({ port: typeof address === 'object' && address ? address.port : 0 });
  process.on('SIGTERM', async () => {
    await app.close();
    await worker.stop();
    await transport.close();
    report({ counters: worker.counters });
    await db.close();
    process.exit(0);
  });
  // One command at a time: the parent waits for each answer before the next.
  createInterface({ input: process.stdin }).on('line', async (line) => {
    if (line === 'start') await worker.start();
    if (line === 'stop') await worker.stop();
    report({ ok: line });
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

async function command(c: { proc: ChildProcess; lines: AsyncIterator<string> }, line: 'start' | 'stop') {
  c.proc.stdin!.write(`${line}\n`);
  await nextJson(c.lines);
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
  const setupStarted = performance.now();
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
    // Every e-mail is queued up front, the worker stopped; then idle and draining windows alternate, so
    // that the machine's other load weighs the same on both p95s.
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO email_queue (request_id, email_type, recipient_email, lang)
         SELECT r.id, 'created', r.email, r.lang
           FROM generate_series(1, $1::int) g
           JOIN LATERAL (SELECT id, email, lang FROM support_requests WHERE email LIKE 'bench%' ORDER BY email OFFSET (g % $2) LIMIT 1) r ON true`,
        [EMAILS, TICKETS],
      );
    });
    process.stderr.write(`set up in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s\n`);
    const idle: number[] = [];
    const busy: number[] = [];
    let busySeconds = 0;
    let pending = EMAILS + 1;
    const measuring = performance.now();
    while (pending > 0 && performance.now() - measuring + IDLE_WINDOW_MS + BUSY_WINDOW_MS <= MEASURE_BUDGET_MS) {
      idle.push(...(await load(ticketUrl, token, new Promise((r) => setTimeout(r, IDLE_WINDOW_MS)))));
      await command(server, 'start');
      const windowStarted = performance.now();
      busy.push(...(await load(ticketUrl, token, new Promise((r) => setTimeout(r, BUSY_WINDOW_MS)))));
      await command(server, 'stop');
      busySeconds += (performance.now() - windowStarted) / 1000;
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM email_queue WHERE status = 'pending'`);
      pending = rows[0]!.n;
      process.stderr.write(`  ${pending} pending\n`);
    }
    const sent = EMAILS + 1 - pending;
    const seconds = busySeconds;

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
          ? `drained ${sent} e-mails in ${seconds.toFixed(1)} s of worker time: ${(sent / seconds).toFixed(0)} mails/s`
          : `PARTIAL: ${sent} of ${EMAILS + 1} e-mails sent in ${seconds.toFixed(0)} s of worker time (budget): ${(sent / seconds).toFixed(0)} mails/s`,
        `  machine: ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)} at the end`,
        `  queue: ${statuses.map((s) => `${s.status} ${s.n}`).join(', ')}; worker: ${JSON.stringify(counters)}`,
        `  SMTP sink: ${received.received} mails, ${received.distinct} distinct Message-IDs, ${received.duplicated} duplicated`,
        `API p95 (GET /api/tickets/:id, ${CLIENTS} clients, alternating ${IDLE_WINDOW_MS / 1000} s idle / ${BUSY_WINDOW_MS / 1000} s draining windows): ` +
          `idle ${idleP95.toFixed(2)} ms (n=${idle.length}), while draining ${busyP95.toFixed(2)} ms (n=${busy.length}); ratio ${ratio.toFixed(2)} (aim ≤ 1.2)`,
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
