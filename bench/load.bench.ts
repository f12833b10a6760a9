import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { WebSocket } from 'ws';
import { newTicketToken } from '../src/server/modules/tickets/index.ts';
import { freePort, urlWithSchema } from '../src/server/test/server-process.ts';
import { createBenchSchema, percentile } from './support/pg-schema.ts';

// Load test (issue 8), loopback only, bounded in time. The real server (`src/server/main.ts`, spawned as
// `npm start` runs it) on the PostgreSQL server, in a fresh schema dropped afterwards, RATE_LIMIT=off
// (one loopback client would otherwise be throttled per IP; the per-ticket hourly limit of the contract
// stays on, hence enough tickets). Meanwhile:
//  - SUBSCRIBERS WebSocket clients (a child process of their own) spread over the tickets, each
//    subscribed with its ticket's token, record every message.created frame;
//  - autocannon with SENDERS connections posts customer messages for SECONDS, each request to the next
//    ticket with a fresh clientId and its send time in the body; a share of requests repeat a recent
//    clientId (a client retrying: must store nothing new). After SECONDS the senders stop, every request
//    in flight is answered, and any left unanswered is retried once with its clientId, as the widget does.
// Then integrity, from SQL and from what the subscribers got: stored = accepted, no duplicate, every
// subscriber got exactly the messages of its own ticket. Exit 1 on any integrity failure; the figures
// (HTTP and delivery p50/p99, throughput, server RSS and CPU) are printed, not asserted, beside the same
// HTTP load against a bare Fastify route doing the one INSERT on the same PostgreSQL server.
//
//   npm run bench -- load                                          # full: 60 s, 200 senders, 1,000 subscribers
//   npm run load -- --seconds 10 --senders 50 --subscribers 200    # short form (CI)

const SELF = fileURLToPath(import.meta.url);
const APP_NAME = `tf-load-${process.pid}`;
const MAIN = fileURLToPath(new URL('../src/server/main.ts', import.meta.url));
const BASELINE = fileURLToPath(new URL('./support/insert-server.ts', import.meta.url));
// Sockets above the subscribers the WebSocket caps leave room for (a retry whose old socket is still closing).
const WS_CAP_HEADROOM = 100;

type Ticket = { id: string; token: string };
type Receipt = [messageId: string, requestId: string, channel: string];
type SubscriberReport = { ticketId: string; got: Receipt[]; closed: boolean };
type ChildIn =
  | { type: 'start'; port: number; tickets: Ticket[] }
  | { type: 'count' }
  | { type: 'report' }
  | { type: 'stop' };
type ChildOut =
  | { type: 'alive' }
  | { type: 'ready'; retries: number; ms: number }
  | { type: 'count'; receipts: number }
  | { type: 'report'; subscribers: SubscriberReport[]; latencies: number[]; otherFrames: Record<string, number> };

if (process.argv[2] === '--subscribers-child') runSubscribers();
else await runLoad();

// ---------------------------------------------------------------- child: the WebSocket subscribers

function runSubscribers() {
  const send = (m: ChildOut) => process.send!(m);
  const subscribers: Array<SubscriberReport & { ws: WebSocket; seen: Set<string> }> = [];
  const latencies: number[] = [];
  const otherFrames: Record<string, number> = {};
  let receipts = 0;
  process.on('message', async (m: ChildIn) => {
    if (m.type === 'start') {
      const t0 = Date.now();
      let retries = 0;
      // Opened and subscribed 100 at a time, each batch confirmed before the next.
      for (let i = 0; i < m.tickets.length; i += 100) {
        const batch = m.tickets.slice(i, i + 100);
        await Promise.all(
          batch.map(async (ticket) => {
            const ws = await openSocket(m.port);
            const channel = `ticket:${ticket.id}`;
            const sub = { ticketId: ticket.id, got: [] as Receipt[], closed: false, ws, seen: new Set<string>() };
            subscribers.push(sub);
            ws.on('close', () => (sub.closed = true));
            await new Promise<void>((resolve) => {
              const subscribe = () => ws.send(JSON.stringify({ type: 'subscribe', channel, token: ticket.token }));
              ws.on('message', (data) => {
                const frame = JSON.parse(data.toString()) as { type: string; channel?: string; message?: { id: string; request_id: string; body: string } };
                if (frame.type === 'subscribed') return resolve();
                if (frame.type === 'error') {
                  // A subscription the loaded server could not check in time: ask again, counted.
                  retries += 1;
                  setTimeout(subscribe, 200);
                  return;
                }
                if (frame.type !== 'message.created' || !frame.message) {
                  otherFrames[frame.type] = (otherFrames[frame.type] ?? 0) + 1;
                  return;
                }
                receipts += 1;
                sub.got.push([frame.message.id, frame.message.request_id, frame.channel ?? '']);
                const sentAt = Number(/^load t=(\d+) /.exec(frame.message.body)?.[1]);
                // Once per message per subscriber: a duplicate is counted by the parent, not timed twice.
                if (!sub.seen.has(frame.message.id) && sentAt) latencies.push(Date.now() - sentAt);
                sub.seen.add(frame.message.id);
              });
              subscribe();
            });
          }),
        );
      }
      send({ type: 'ready', retries, ms: Date.now() - t0 });
    }
    if (m.type === 'count') send({ type: 'count', receipts });
    if (m.type === 'report') {
      send({
        type: 'report',
        subscribers: subscribers.map(({ ticketId, got, closed }) => ({ ticketId, got, closed })),
        latencies,
        otherFrames,
      });
    }
    if (m.type === 'stop') {
      for (const s of subscribers) s.ws.terminate();
      process.exit(0);
    }
  });
  send({ type: 'alive' });
}

function openSocket(port: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/realtime`, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

// ---------------------------------------------------------------- parent: server, senders, checks

function options() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      seconds: { type: 'string', default: '60' },
      senders: { type: 'string', default: '200' },
      subscribers: { type: 'string', default: '1000' },
      tickets: { type: 'string' },
      'retry-share': { type: 'string', default: '0.05' },
      'baseline-seconds': { type: 'string' },
      'cpu-prof': { type: 'string' },
    },
    strict: true,
  });
  const seconds = Number(values.seconds);
  const subscribers = Number(values.subscribers);
  const o = {
    seconds,
    senders: Number(values.senders),
    subscribers,
    // At least 2.5 subscribers a ticket's worth of tickets, and enough of them that the contract's limit
    // (100 customer messages an hour a ticket, 100 × tickets / seconds sends a second) stays above
    // 5,000 sends a second: the run measures the server, not the limit.
    tickets: Number(values.tickets ?? Math.max(20, Math.ceil(subscribers / 2.5), seconds * 50)),
    retryShare: Number(values['retry-share']),
    baselineSeconds: Number(values['baseline-seconds'] ?? Math.min(Math.max(5, seconds / 2), 20)),
    cpuProf: values['cpu-prof'] ?? null,
  };
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'number' && !(v >= 0 && Number.isFinite(v))) throw new Error(`--${k}: not a number ≥ 0`);
  }
  if (o.seconds > 120 || o.senders > 1000 || o.subscribers > 5000) throw new Error('bounded: at most 120 s, 1,000 senders, 5,000 subscribers');
  if (o.seconds < 1 || o.senders < 1 || o.tickets < 1 || o.baselineSeconds < 1) throw new Error('--seconds, --senders, --tickets and --baseline-seconds must be at least 1');
  return o;
}

async function runLoad() {
  const o = options();
  const started = Date.now();
  const step = (what: string) => process.stderr.write(`  [${((Date.now() - started) / 1000).toFixed(1)} s] ${what}\n`);
  checkFileLimit(o.subscribers * 2 + o.senders * 2 + 200);
  const loadBefore = loadavg();
  const bench = await createBenchSchema('bench_load');
  const children: ChildProcess[] = [];
  // Bounded whatever happens: load + baseline + set-up and drains.
  const guard = setTimeout(
    () => {
      process.stderr.write('load test: over its time bound, aborting\n');
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
      void bench.drop().finally(() => process.exit(1));
    },
    (o.seconds + o.baselineSeconds + 150) * 1000,
  );
  guard.unref();
  const failures: string[] = [];
  try {
    step(`schema ${bench.schema} ready`);
    const tickets = await createTickets(bench, o.tickets);
    // The baseline server and the subscribers' process start beside the real server and idle until
    // their turn: set-up time counts in the short form.
    const baselineStarting = startProcess(['--import', 'tsx', BASELINE], { BENCH_DATABASE_URL: bench.url, BENCH_SCHEMA: bench.schema }, children);
    baselineStarting.catch(() => {});
    const subscriberChild = fork(SELF, ['--subscribers-child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(subscriberChild);
    const subscribersAlive = new Promise<void>((resolve) => subscriberChild.once('message', () => resolve()));

    const port = await freePort();
    const server = await startProcess(
      [...(o.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProf}`] : []), '--import', 'tsx', MAIN],
      {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: serverDbUrl(bench),
        RATE_LIMIT: 'off',
        // Every subscriber connects from the loopback: one address holds them all.
        WS_MAX_CONNECTIONS_PER_IP: String(o.subscribers + WS_CAP_HEADROOM),
        WS_MAX_CONNECTIONS: String(o.subscribers + WS_CAP_HEADROOM),
        EMAIL_WORKER: 'off',
        DEMO_DATA: 'false',
        LOG_LEVEL: 'warn',
        SMTP_URL: '',
        ADMIN_EMAIL: 'load-admin@example.com',
        ADMIN_PASSWORD: 'load test admin passphrase',
      },
      children,
    );
    step(`server (src/server/main.ts) on port ${server.port}, pid ${server.child.pid}`);

    const assigned = Array.from({ length: o.subscribers }, (_, i) => tickets[i % tickets.length]!);
    await subscribersAlive;
    const ready = await ask(subscriberChild, { type: 'start', port: server.port, tickets: assigned }, 'ready');
    step(`${o.subscribers} subscribers over ${tickets.length} tickets subscribed in ${ready.ms} ms (${ready.retries} retried)`);

    const monitor = monitorProcess(server.child.pid!);
    const connections = monitorConnections(bench);
    const run = await sendLoad(server.port, tickets, o.seconds, o.senders, o.retryShare);
    const usage = monitor.stop();
    const dbUse = await connections.stop();
    step(`load done: ${run.answered} answered, ${run.unanswered.size} unanswered`);
    const late = await retryUnanswered(server.port, run);
    if (late.length) step(`${late.length} unanswered requests retried once with their clientId`);

    // The tail: wait until the subscribers got every stored message of their ticket (bounded).
    const stored = await storedMessages(bench, tickets);
    const perTicket = new Map<string, number>();
    for (const row of stored) perTicket.set(row.request_id, (perTicket.get(row.request_id) ?? 0) + 1);
    const expectedReceipts = assigned.reduce((n, t) => n + (perTicket.get(t.id) ?? 0), 0);
    const drainStart = Date.now();
    let receipts = 0;
    while (Date.now() - drainStart < 20_000) {
      receipts = (await ask(subscriberChild, { type: 'count' }, 'count')).receipts;
      if (receipts >= expectedReceipts) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    step(`tail drained in ${Date.now() - drainStart} ms (${receipts}/${expectedReceipts} receipts)`);
    const report = await ask(subscriberChild, { type: 'report' }, 'report');
    subscriberChild.send({ type: 'stop' } satisfies ChildIn);
    await server.stop();

    failures.push(...checkIntegrity(run, stored, report));
    const dup = await duplicateClientIds(bench);
    if (dup > 0) failures.push(`${dup} clientIds stored more than once`);

    step('baseline: the same HTTP load against a bare Fastify route doing the one INSERT');
    const baselineTickets = await createTickets(bench, o.tickets);
    const baseline = await baselineStarting;
    const base = await sendLoad(baseline.port, baselineTickets, o.baselineSeconds, o.senders, 0);
    await baseline.stop();

    printTable({ o, run, base, report, usage, dbUse, stored: stored.length, ready, loadBefore, total: (Date.now() - started) / 1000 });
  } finally {
    clearTimeout(guard);
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await bench.drop();
  }
  if (failures.length) {
    process.stdout.write(`INTEGRITY FAILURES:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write('integrity: every check passed\n');
  }
}

type Bench = Awaited<ReturnType<typeof createBenchSchema>>;

async function createTickets(bench: Bench, n: number): Promise<Ticket[]> {
  const tokens = Array.from({ length: n }, () => newTicketToken());
  const { rows } = await bench.db.query<{ id: string; token_hash: string }>(
    `INSERT INTO support_requests (email, message, token_hash)
     SELECT 'load-' || i || '@example.com', 'hello', h FROM unnest($1::text[]) WITH ORDINALITY AS t(h, i)
     RETURNING id, token_hash`,
    [tokens.map((t) => t.hash)],
  );
  const byHash = new Map(tokens.map((t) => [t.hash, t.token]));
  return rows.map((r) => ({ id: r.id, token: byHash.get(r.token_hash)! }));
}

/** The spawned server's DATABASE_URL (on the bench schema), its connections named for pg_stat_activity. */
function serverDbUrl(bench: Bench): string {
  const u = new URL(urlWithSchema(bench.url, bench.schema));
  u.searchParams.set('application_name', APP_NAME);
  return u.toString();
}

/**
 * What the server's database connections are doing, sampled from pg_stat_activity every 500 ms:
 * busy connections (of the pool) and, among them, what they wait for. Bus LISTEN excluded.
 */
function monitorConnections(bench: Bench) {
  const states = new Map<string, number>();
  let samples = 0;
  let busy = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await bench.db.query<{ what: string; n: number }>(
        `SELECT CASE WHEN state = 'idle' THEN 'idle'
                     ELSE coalesce(wait_event_type || ':' || wait_event, state) END AS what, count(*)::int AS n
           FROM pg_stat_activity WHERE application_name = $1 AND query NOT LIKE 'LISTEN%' GROUP BY 1`,
        [APP_NAME],
      );
      samples += 1;
      for (const r of rows) {
        states.set(r.what, (states.get(r.what) ?? 0) + r.n);
        if (r.what !== 'idle') busy += r.n;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      const waits = [...states]
        .filter(([w]) => w !== 'idle')
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([w, n]) => `${w} ${((100 * n) / Math.max(1, busy)).toFixed(0)} %`)
        .join(', ');
      return { busyAverage: busy / Math.max(1, samples), waits };
    },
  };
}

/** The soft limit on open files must hold both ends of every socket of this machine-local test. */
function checkFileLimit(needed: number) {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const soft = Number(line?.split(/\s+/)[3]);
  if (Number.isFinite(soft) && soft < needed) {
    throw new Error(`open-file limit ${soft} is below the ${needed} this load needs: run \`ulimit -n ${needed}\` first`);
  }
}

/**
 * A server in a child process, ready when it answers GET /healthz with 200. Without PORT in `env` it is
 * one of bench/support's servers, which print their port on their first line.
 */
async function startProcess(args: string[], env: Record<string, string>, children: ChildProcess[]) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  let exited = false;
  child.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-8000)));
  child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-8000)));
  child.once('exit', () => (exited = true));
  const until = Date.now() + 90_000;
  let port = Number(env.PORT ?? 0);
  for (;;) {
    if (exited) throw new Error(`server exited (${child.exitCode}):\n${output}`);
    if (Date.now() > until) throw new Error(`server did not start in 90 s:\n${output}`);
    port ||= Number(/^(\d+)\n/.exec(output)?.[1] ?? 0);
    if (port) {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
      if (res?.status === 200) break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

function ask<T extends ChildOut['type']>(child: ChildProcess, m: ChildIn, answer: T): Promise<Extract<ChildOut, { type: T }>> {
  return new Promise((resolve, reject) => {
    const on = (r: ChildOut) => {
      if (r.type !== answer) return;
      child.off('message', on);
      child.off('exit', onExit);
      resolve(r as Extract<ChildOut, { type: T }>);
    };
    const onExit = (code: number | null) => reject(new Error(`subscriber process exited (${code})`));
    child.on('message', on);
    child.once('exit', onExit);
    child.send(m);
  });
}

/** RSS (peak and last) and CPU seconds of a process, read from /proc every 500 ms. */
function monitorProcess(pid: number) {
  const ticks = () => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks (100 a second)
  };
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  const startTicks = ticks();
  const startRss = rss();
  const t0 = Date.now();
  let peak = startRss;
  let last = startRss;
  const timer = setInterval(() => {
    try {
      last = rss();
      peak = Math.max(peak, last);
    } catch {
      // the process is gone; stop() reports what was seen
    }
  }, 500);
  return {
    stop: () => {
      clearInterval(timer);
      const cpu = (ticks() - startTicks) / 100;
      return { startRss, peakRss: peak, endRss: last, cpuSeconds: cpu, wallSeconds: (Date.now() - t0) / 1000 };
    },
  };
}

type Sent = { ticket: Ticket; body: string; clientId: string };
type LoadRun = Awaited<ReturnType<typeof sendLoad>>;

/**
 * `senders` autocannon connections posting messages for `seconds`; then each connection asks GET
 * /healthz instead until every message request in flight is answered (so none is cut off mid-way).
 */
async function sendLoad(port: number, tickets: Ticket[], seconds: number, senders: number, retryShare: number) {
  const statuses = new Map<number, number>();
  const latencies: number[] = [];
  const retryLatencies: number[] = [];
  /** clientId → every message id answered for it (idempotency: must be exactly one). */
  const answeredIds = new Map<string, Set<string>>();
  /** Requests sent and not answered yet, by clientId, with how many are in flight. */
  const unanswered = new Map<string, Sent & { inFlight: number }>();
  const recent: Sent[] = [];
  const mismatched: string[] = [];
  let next = 0;
  let posted = 0;
  let answered = 0;
  let retriesSent = 0;
  let firstSend = 0;
  let lastAnswer = 0;
  const deadline = Date.now() + seconds * 1000;

  type Ctx = { kind?: 'post' | 'filler'; sent?: Sent; at?: number; retry?: boolean };
  let finished!: (r: autocannon.Result) => void;
  let failed!: (e: unknown) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => ((finished = resolve), (failed = reject)));
  const instance = autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: senders,
    duration: seconds + 60, // a bound; stopped as soon as the last message request is answered
    timeout: 30,
    requests: [
      {
        setupRequest: (req, context: Ctx) => {
          if (Date.now() >= deadline) {
            context.kind = 'filler';
            return { ...req, method: 'GET', path: '/healthz', headers: {}, body: undefined };
          }
          const retry = recent.length > 0 && Math.random() < retryShare;
          let sent: Sent;
          if (retry) {
            sent = recent[Math.floor(Math.random() * recent.length)]!;
            retriesSent += 1;
          } else {
            const ticket = tickets[next++ % tickets.length]!;
            const clientId = randomUUID();
            sent = { ticket, clientId, body: `load t=${Date.now()} n=${next}` };
            recent.push(sent);
            if (recent.length > 2 * senders) recent.shift();
          }
          const entry = unanswered.get(sent.clientId);
          if (entry) entry.inFlight += 1;
          else unanswered.set(sent.clientId, { ...sent, inFlight: 1 });
          posted += 1;
          firstSend ||= Date.now();
          Object.assign(context, { kind: 'post', sent, at: performance.now(), retry });
          return {
            ...req,
            method: 'POST',
            path: `/api/tickets/${sent.ticket.id}/messages`,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${sent.ticket.token}` },
            body: JSON.stringify({ body: sent.body, clientId: sent.clientId }),
          };
        },
        onResponse: (status, body, context: Ctx) => {
          if (context.kind !== 'post' || !context.sent) return;
          const ms = performance.now() - context.at!;
          answered += 1;
          lastAnswer = Date.now();
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          const entry = unanswered.get(context.sent.clientId);
          if (entry && --entry.inFlight === 0) unanswered.delete(context.sent.clientId);
          if (status === 200 || status === 201) {
            (context.retry ? retryLatencies : latencies).push(ms);
            const m = (JSON.parse(body) as { message: { id: string; client_id: string; request_id: string } }).message;
            if (m.client_id !== context.sent.clientId || m.request_id !== context.sent.ticket.id) mismatched.push(m.id);
            let ids = answeredIds.get(m.client_id);
            if (!ids) answeredIds.set(m.client_id, (ids = new Set()));
            ids.add(m.id);
          }
          if (Date.now() >= deadline && answered === posted) instance.stop();
        },
      },
    ],
  }, (err, result) => (err ? failed(err) : finished(result)));
  // A run whose every connection was answered before the deadline still stops after it.
  const poll = setInterval(() => {
    if (Date.now() >= deadline && answered === posted) instance.stop();
  }, 100);
  const result = await done;
  clearInterval(poll);
  return {
    statuses,
    latencies,
    retryLatencies,
    answeredIds,
    unanswered,
    mismatched,
    posted,
    answered,
    retriesSent,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: (lastAnswer - firstSend) / 1000,
  };
}

/** What a real client does with a request left unanswered: send it again with the same clientId. */
async function retryUnanswered(port: number, run: LoadRun): Promise<string[]> {
  const retried: string[] = [];
  for (const s of run.unanswered.values()) {
    const res = await fetch(`http://127.0.0.1:${port}/api/tickets/${s.ticket.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.ticket.token}` },
      body: JSON.stringify({ body: s.body, clientId: s.clientId }),
    });
    run.statuses.set(res.status, (run.statuses.get(res.status) ?? 0) + 1);
    if (res.status === 200 || res.status === 201) {
      const m = ((await res.json()) as { message: { id: string; client_id: string } }).message;
      let ids = run.answeredIds.get(m.client_id);
      if (!ids) run.answeredIds.set(m.client_id, (ids = new Set()));
      ids.add(m.id);
    }
    retried.push(s.clientId);
  }
  return retried;
}

type StoredRow = { id: string; request_id: string; client_id: string | null };

async function storedMessages(bench: Bench, tickets: Ticket[]): Promise<StoredRow[]> {
  const { rows } = await bench.db.query<StoredRow>('SELECT id, request_id, client_id FROM support_messages WHERE request_id = ANY($1::uuid[])', [
    tickets.map((t) => t.id),
  ]);
  return rows;
}

async function duplicateClientIds(bench: Bench): Promise<number> {
  const { rows } = await bench.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT client_id FROM support_messages WHERE client_id IS NOT NULL GROUP BY client_id HAVING count(*) > 1) d`,
  );
  return rows[0]!.n;
}

function checkIntegrity(run: LoadRun, stored: StoredRow[], report: Extract<ChildOut, { type: 'report' }>): string[] {
  const failures: string[] = [];
  const storedByClient = new Map(stored.map((r) => [r.client_id, r]));
  const accepted = run.answeredIds;
  if (stored.length !== accepted.size) failures.push(`stored ${stored.length} messages, accepted ${accepted.size}`);
  if (storedByClient.size !== stored.length) failures.push('a clientId is stored twice');
  let twoIds = 0;
  let lost = 0;
  let differs = 0;
  for (const [clientId, ids] of accepted) {
    if (ids.size !== 1) twoIds += 1;
    const row = storedByClient.get(clientId);
    if (!row) lost += 1;
    else if (!ids.has(row.id)) differs += 1;
  }
  if (twoIds) failures.push(`${twoIds} clientIds answered with two different messages`);
  if (lost) failures.push(`${lost} accepted messages not stored`);
  if (differs) failures.push(`${differs} accepted messages stored under another id`);
  if (run.mismatched.length) failures.push(`${run.mismatched.length} answers named another ticket or clientId`);
  const unansweredLeft = [...run.unanswered.keys()].filter((c) => !accepted.has(c)).length;
  if (unansweredLeft) failures.push(`${unansweredLeft} requests never answered, even retried`);

  const idsByTicket = new Map<string, Set<string>>();
  for (const r of stored) {
    let s = idsByTicket.get(r.request_id);
    if (!s) idsByTicket.set(r.request_id, (s = new Set()));
    s.add(r.id);
  }
  let foreign = 0;
  let duplicates = 0;
  let missing = 0;
  let closed = 0;
  report.subscribers.forEach((sub) => {
    const own = idsByTicket.get(sub.ticketId) ?? new Set<string>();
    const seen = new Set<string>();
    for (const [id, requestId, channel] of sub.got) {
      if (requestId !== sub.ticketId || channel !== `ticket:${sub.ticketId}` || !own.has(id)) foreign += 1;
      else if (seen.has(id)) duplicates += 1;
      seen.add(id);
    }
    for (const id of own) if (!seen.has(id)) missing += 1;
    if (sub.closed) closed += 1;
  });
  if (foreign) failures.push(`${foreign} frames delivered to a subscriber of another ticket`);
  if (duplicates) failures.push(`${duplicates} messages delivered twice to the same subscriber`);
  if (missing) failures.push(`${missing} (subscriber, message) receipts missing after the tail drained`);
  if (closed) failures.push(`${closed} subscriber sockets closed by the server`);
  return failures;
}

function printTable(x: {
  o: ReturnType<typeof options>;
  run: LoadRun;
  base: LoadRun;
  report: Extract<ChildOut, { type: 'report' }>;
  usage: ReturnType<ReturnType<typeof monitorProcess>['stop']>;
  dbUse: { busyAverage: number; waits: string };
  stored: number;
  ready: { retries: number; ms: number };
  loadBefore: number[];
  total: number;
}) {
  const { o, run, base, report, usage } = x;
  const ok = (r: LoadRun) => (r.statuses.get(200) ?? 0) + (r.statuses.get(201) ?? 0);
  const rate = (r: LoadRun) => ok(r) / r.seconds;
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const mb = (v: number) => `${(v / 1024 / 1024).toFixed(0)} MB`;
  const statuses = (r: LoadRun) =>
    [...r.statuses.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([s, n]) => `${s}: ${n}`)
      .join(', ');
  const receipts = report.subscribers.reduce((n, s) => n + s.got.length, 0);
  const load = loadavg();
  const rows: Array<[string, string]> = [
    ['load', `${o.seconds} s, ${o.senders} senders (autocannon), ${o.subscribers} subscribers (ws) over ${o.tickets} tickets, RATE_LIMIT=off`],
    ['machine load (uptime)', `before ${x.loadBefore.map((v) => v.toFixed(2)).join(' ')}; after ${load.map((v) => v.toFixed(2)).join(' ')}`],
    ['requests', `${run.posted} sent (${run.retriesSent} repeats of a recent clientId), ${run.answered} answered; ${statuses(run)}`],
    ['errors / timeouts', `${run.errors} / ${run.timeouts}; non-2xx ${run.answered - ok(run)}`],
    ['accepted / stored', `${run.answeredIds.size} / ${x.stored}`],
    ['HTTP send latency', `p50 ${ms(percentile(run.latencies, 0.5))}  p99 ${ms(percentile(run.latencies, 0.99))}  (repeats: p50 ${ms(percentile(run.retryLatencies, 0.5))})`],
    ['throughput', `${rate(run).toFixed(0)} answered sends/s over ${run.seconds.toFixed(1)} s`],
    ['delivery latency', `p50 ${ms(percentile(report.latencies, 0.5))}  p99 ${ms(percentile(report.latencies, 0.99))}  (send → each subscriber, ${receipts} receipts)`],
    ['subscriptions', `${o.subscribers} in ${x.ready.ms} ms, ${x.ready.retries} retried; other frames ${JSON.stringify(report.otherFrames)}`],
    ['server RSS', `${mb(usage.startRss)} before, peak ${mb(usage.peakRss)}, ${mb(usage.endRss)} at the end`],
    ['server CPU', `${usage.cpuSeconds.toFixed(1)} s over ${usage.wallSeconds.toFixed(1)} s (${((100 * usage.cpuSeconds) / usage.wallSeconds).toFixed(0)} % of a core)`],
    ['server DB connections', `${x.dbUse.busyAverage.toFixed(1)} of the pool's 20 busy on average; busy ones: ${x.dbUse.waits}`],
    ['baseline: bare Fastify + one INSERT', `${rate(base).toFixed(0)} sends/s over ${base.seconds.toFixed(1)} s, p50 ${ms(percentile(base.latencies, 0.5))} p99 ${ms(percentile(base.latencies, 0.99))}; ${statuses(base)}`],
    ['ratio real / baseline', `throughput ${(rate(run) / rate(base)).toFixed(2)}, p99 ${(percentile(run.latencies, 0.99) / percentile(base.latencies, 0.99)).toFixed(2)}`],
    ['total time', `${x.total.toFixed(1)} s`],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(`${rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n')}\n`);
}
