import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { WebSocket, WebSocketServer } from 'ws';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { PostgresDb } from '../src/server/db/postgres.ts';
import { newTicketToken } from '../src/server/modules/tickets/index.ts';
import { BENCH_DATABASE_URL, createBenchSchema, percentile } from './support/pg-schema.ts';

// Realtime figures (issue 3), loopback only, each server in a child process of its own so that the
// 1,000 client sockets of this process do not share its CPU:
//  1. 1,000 subscribers over 200 tickets: latency from the HTTP send of a message to its receipt by the
//     last of the ticket's subscribers, p50/p99, every receipt counted; beside it the same fan-out through
//     a bare `ws` server with no database, and the p99 of one INSERT on the same PostgreSQL server;
//  2. memory per connection of both servers holding 10,000 idle connections (measured in the child,
//     after gc, from before the first connection to after the last);
//  3. deliveries per second at 10,000 subscribers (issue 22): those same 10,000 sockets then subscribe,
//     50 to each of the 200 tickets, and BIG_MESSAGES messages are sent over HTTP (SEND_CONCURRENCY at a
//     time); deliveries counted from the first send to the last receipt, beside the bare `ws` server's.
//  Both servers run one after the other in one run; the ratios are the figures (the machine is shared).
const TICKETS = 200;
const SUBSCRIBERS = 1000;
const MESSAGES = 400;
const SEND_CONCURRENCY = 8;
// BENCH_IDLE_CONNECTIONS=0 runs the fan-out alone (no idle memory, no deliveries at many subscribers).
const IDLE_CONNECTIONS = Number(process.env.BENCH_IDLE_CONNECTIONS ?? 10_000);
const CONNECT_BATCH = 500;
const BIG_MESSAGES = 400;
// The time bound of the whole run; BENCH_DEADLINE_MS raises it on a machine too loaded to finish in time.
const DEADLINE_MS = Number(process.env.BENCH_DEADLINE_MS ?? 240_000);
const IDLE_PHASE_MS = 20_000;

type ChildMode = 'app' | 'bare';
const NO_MEMORY = { sockets: [] as WebSocket[], connections: 0, heap: NaN, rss: NaN };
const NO_DELIVERIES = { rate: NaN, delivered: 0, expected: 0, ms: NaN, subscribeMs: NaN };
type Memory = { rss: number; heap: number };
type ChildMessage = { type: 'ready'; port: number } | { type: 'memory'; memory: Memory };

const SELF = fileURLToPath(import.meta.url);
const childMode = process.argv[2] === '--child' ? (process.argv[3] as ChildMode) : null;

if (childMode) await runChild(childMode, process.argv[4], process.argv[5]);
else await runParent();

// ---------------------------------------------------------------- child: one server

async function runChild(mode: ChildMode, schema?: string, url?: string) {
  const send = (m: ChildMessage) => process.send!(m);
  let port: number;
  let close: () => Promise<void>;
  if (mode === 'app') {
    const db = new PostgresDb({ connectionString: url!, schema, max: 20 });
    // Every socket comes from the loopback: the per-address and total caps are raised above the 10,000
    // idle connections, and the idle ones (subscribed to nothing) are kept past the idle phase.
    const config = loadConfig({
      PORT: '0',
      DEMO_DATA: 'false',
      RATE_LIMIT: 'off',
      LOG_LEVEL: 'silent',
      WS_MAX_CONNECTIONS_PER_IP: String(IDLE_CONNECTIONS + SUBSCRIBERS),
      WS_MAX_CONNECTIONS: String(IDLE_CONNECTIONS + SUBSCRIBERS),
      WS_IDLE_SECONDS: String((DEADLINE_MS + IDLE_PHASE_MS) / 1000),
    });
    const app = await buildApp({ db, config });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
    close = async () => {
      await app.close();
      await db.close();
    };
  } else {
    const bare = bareServer();
    await new Promise<void>((r) => bare.server.listen(0, '127.0.0.1', r));
    port = (bare.server.address() as { port: number }).port;
    close = async () => {
      for (const ws of bare.wss.clients) ws.terminate();
      await new Promise((r) => bare.server.close(r));
    };
  }
  process.on('message', async (m: { type: string }) => {
    if (m.type === 'measure') send({ type: 'memory', memory: measureMemory() });
    if (m.type === 'stop') {
      await close();
      process.exit(0);
    }
  });
  send({ type: 'ready', port });
}

/** The baseline: subscribe by channel name, broadcast what POST /send carries, nothing stored. */
function bareServer() {
  const channels = new Map<string, Set<WebSocket>>();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 16 * 1024 });
  const server = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req)) as { channel: string; message: unknown };
    const frame = JSON.stringify({ type: 'message.created', channel: body.channel, message: body.message });
    for (const ws of channels.get(body.channel) ?? []) ws.send(frame);
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ message: body.message }));
  });
  server.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as { type: string; channel: string };
        if (frame.type !== 'subscribe') return;
        let set = channels.get(frame.channel);
        if (!set) channels.set(frame.channel, (set = new Set()));
        set.add(ws);
        ws.send(JSON.stringify({ type: 'subscribed', channel: frame.channel }));
      });
      ws.on('close', () => {
        for (const set of channels.values()) set.delete(ws);
      });
    }),
  );
  return { server, wss };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve(data));
  });
}

function measureMemory(): Memory {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.external };
}

// ---------------------------------------------------------------- parent: clients and figures

async function runParent() {
  const started = Date.now();
  const step = (what: string) => process.stderr.write(`  [${((Date.now() - started) / 1000).toFixed(1)} s] ${what}\n`);
  const bench = await createBenchSchema('bench_rt');
  const children: ChildProcess[] = [];
  let dropping: Promise<void> | null = null;
  const drop = () => (dropping ??= bench.drop());
  const guard = setTimeout(() => {
    process.stderr.write('realtime bench: over its time bound, aborting\n');
    for (const c of children) if (c.exitCode === null) c.kill();
    void drop().finally(() => process.exit(1));
  }, DEADLINE_MS);
  guard.unref();
  try {
    step('schema ready');
    const tickets = await createTickets(bench.db, TICKETS);
    const insertP99 = await insertLatencyP99(bench.schema);

    step('insert latency measured');
    // Each server: memory at idle connections first (fresh process), then the fan-out, in one child.
    const app = await startChild('app', bench.schema, children);
    step('realtime server started');
    const many = IDLE_CONNECTIONS > 0;
    const appMem = many ? await idleMemory(app.child, app.port, IDLE_CONNECTIONS, started) : NO_MEMORY;
    step(`realtime idle memory measured at ${appMem.connections} connections`);
    const appBig = many ? await deliveriesPerSecond(app.port, appMem.sockets, tickets, 'app') : NO_DELIVERIES;
    step(`realtime deliveries at ${appMem.connections} subscribers measured: ${appBig.rate.toFixed(0)} /s`);
    const appRun = await fanOut(app.port, tickets, 'app');
    await stopChild(app.child);
    step(`realtime fan-out done: p50 ${appRun.p50.toFixed(1)} ms, p99 ${appRun.p99.toFixed(1)} ms, send p50 ${appRun.answeredP50.toFixed(1)} ms`);

    const bare = await startChild('bare', bench.schema, children);
    const bareMem = many ? await idleMemory(bare.child, bare.port, appMem.connections, null) : NO_MEMORY;
    step(`bare idle memory measured at ${bareMem.connections} connections`);
    const bareBig = many ? await deliveriesPerSecond(bare.port, bareMem.sockets, tickets, 'bare') : NO_DELIVERIES;
    step(`bare deliveries at ${bareMem.connections} subscribers measured: ${bareBig.rate.toFixed(0)} /s`);
    const bareRun = await fanOut(bare.port, tickets, 'bare');
    await stopChild(bare.child);
    step(`bare fan-out done: p50 ${bareRun.p50.toFixed(1)} ms, p99 ${bareRun.p99.toFixed(1)} ms, send p50 ${bareRun.answeredP50.toFixed(1)} ms`);

    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const kb = (v: number) => `${(v / 1024).toFixed(1)} KB`;
    const manyLines = () => [
      `idle connections: ${appMem.connections} (realtime), ${bareMem.connections} (bare)` +
        (appMem.connections < IDLE_CONNECTIONS ? ` — fewer than ${IDLE_CONNECTIONS}: the machine was too slow to open them within the time bound` : ''),
      `  realtime: ${kb(appMem.heap)} heap+external, ${kb(appMem.rss)} rss per connection`,
      `  bare ws:  ${kb(bareMem.heap)} heap+external, ${kb(bareMem.rss)} rss per connection`,
      `  ratio realtime / bare: ${(appMem.heap / bareMem.heap).toFixed(2)} (heap+external), ${(appMem.rss / bareMem.rss).toFixed(2)} (rss); aim <= 1.5`,
      `deliveries at ${appMem.connections} subscribers (${appMem.connections / TICKETS} a ticket), ${BIG_MESSAGES} messages over HTTP (${SEND_CONCURRENCY} at a time), first send to last receipt:`,
      `  realtime: ${appBig.rate.toFixed(0)} /s (${appBig.delivered}/${appBig.expected} delivered in ${(appBig.ms / 1000).toFixed(2)} s; subscribing took ${(appBig.subscribeMs / 1000).toFixed(1)} s)`,
      `  bare ws:  ${bareBig.rate.toFixed(0)} /s (${bareBig.delivered}/${bareBig.expected} delivered in ${(bareBig.ms / 1000).toFixed(2)} s; subscribing took ${(bareBig.subscribeMs / 1000).toFixed(1)} s)`,
      `  ratio realtime / bare: ${(appBig.rate / bareBig.rate).toFixed(2)}; aim >= 0.5: ${appBig.rate >= 0.5 * bareBig.rate ? 'met' : 'NOT met'}`,
    ];
    const lines = [
      `fan-out: ${SUBSCRIBERS} subscribers over ${TICKETS} tickets, ${MESSAGES} messages sent over HTTP (${SEND_CONCURRENCY} at a time)`,
      `  realtime (PostgreSQL bus): p50 ${ms(appRun.p50)}  p99 ${ms(appRun.p99)}  delivered ${appRun.delivered}/${appRun.expected}` +
        (appRun.retries ? ` (${appRun.retries} subscriptions retried)` : ''),
      `  bare ws, no database:      p50 ${ms(bareRun.p50)}  p99 ${ms(bareRun.p99)}  delivered ${bareRun.delivered}/${bareRun.expected}`,
      `  HTTP send answered (for scale): realtime p50 ${ms(appRun.answeredP50)} p99 ${ms(appRun.answeredP99)}; bare p50 ${ms(bareRun.answeredP50)} p99 ${ms(bareRun.answeredP99)}`,
      `  HTTP send p50 realtime / bare: ${(appRun.answeredP50 / bareRun.answeredP50).toFixed(2)} (aim <= 2)`,
      `  one INSERT on the same server: p99 ${ms(insertP99)}`,
      `  ratio p99 realtime / bare: ${(appRun.p99 / bareRun.p99).toFixed(2)}; aim p99 <= 3 x bare p99 + INSERT p99 = ${ms(3 * bareRun.p99 + insertP99)}: ${appRun.p99 <= 3 * bareRun.p99 + insertP99 ? 'met' : 'NOT met'}`,
      ...(many ? manyLines() : ['idle connections and deliveries at many subscribers: not run (BENCH_IDLE_CONNECTIONS=0)']),
      `load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
      `total ${((Date.now() - started) / 1000).toFixed(1)} s`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (appRun.delivered !== appRun.expected || bareRun.delivered !== bareRun.expected) process.exitCode = 1;
    if (appBig.delivered !== appBig.expected || bareBig.delivered !== bareBig.expected) process.exitCode = 1;
  } finally {
    clearTimeout(guard);
    for (const c of children) if (c.exitCode === null) c.kill();
    await drop();
  }
}

type BenchTicket = { id: string; token: string };

async function createTickets(db: PostgresDb, n: number): Promise<BenchTicket[]> {
  const tokens = Array.from({ length: n }, () => newTicketToken());
  const { rows } = await db.query<{ id: string; token_hash: string }>(
    `INSERT INTO support_requests (email, message, token_hash)
     SELECT 'rt-bench-' || i || '@example.com', 'hello', h FROM unnest($1::text[]) WITH ORDINALITY AS t(h, i)
     RETURNING id, token_hash`,
    [tokens.map((t) => t.hash)],
  );
  const byHash = new Map(tokens.map((t) => [t.hash, t.token]));
  return rows.map((r) => ({ id: r.id, token: byHash.get(r.token_hash)! }));
}

/** p99 of one autocommitted single-row INSERT (a message row) from one connection. */
async function insertLatencyP99(schema: string): Promise<number> {
  const c = new pg.Client({ connectionString: BENCH_DATABASE_URL, options: `-c search_path=${schema}` });
  await c.connect();
  await c.query(`INSERT INTO support_requests (email, message, token_hash) VALUES ('insert-bench@example.com', 'x', $1)`, [randomUUID()]);
  const { rows } = await c.query<{ id: string }>(`SELECT id FROM support_requests WHERE email = 'insert-bench@example.com'`);
  const times: number[] = [];
  for (let i = 1; i <= 500; i++) {
    const t0 = performance.now();
    await c.query(`INSERT INTO support_messages (request_id, author_type, body, seq) VALUES ($1, 'user', 'bench', $2)`, [rows[0]!.id, i]);
    times.push(performance.now() - t0);
  }
  await c.end();
  return percentile(times, 0.99);
}

function startChild(mode: ChildMode, schema: string, children: ChildProcess[]): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(SELF, ['--child', mode, schema, BENCH_DATABASE_URL], {
    execArgv: [...process.execArgv.filter((a) => a !== '--expose-gc'), '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${mode} server exited (${code})`)));
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'ready') resolve({ child, port: m.port });
    });
  });
}

function ask(child: ChildProcess): Promise<Memory> {
  return new Promise((resolve) => {
    const on = (m: ChildMessage) => {
      if (m.type !== 'memory') return;
      child.off('message', on);
      resolve(m.memory);
    };
    child.on('message', on);
    child.send({ type: 'measure' });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.send({ type: 'stop' });
  });
}

function openSocket(port: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/realtime`, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function openMany(port: number, n: number): Promise<WebSocket[]> {
  const all: WebSocket[] = [];
  for (let i = 0; i < n; i += CONNECT_BATCH) {
    all.push(...(await Promise.all(Array.from({ length: Math.min(CONNECT_BATCH, n - i) }, () => openSocket(port)))));
  }
  return all;
}

/**
 * Subscribes SUBSCRIBERS sockets (SUBSCRIBERS / TICKETS per ticket), sends MESSAGES messages over HTTP,
 * and times each from just before its POST to its receipt by the ticket's last subscriber.
 */
async function fanOut(port: number, tickets: BenchTicket[], mode: ChildMode) {
  const perTicket = SUBSCRIBERS / TICKETS;
  const sockets = await openMany(port, SUBSCRIBERS);
  const pending = new Map<string, { t0: number; left: number }>();
  const latencies: number[] = [];
  let delivered = 0;
  let subscribed = 0;
  let allSubscribed!: () => void;
  const subscribedPromise = new Promise<void>((r) => (allSubscribed = r));
  let allDone!: () => void;
  const done = new Promise<void>((r) => (allDone = r));

  const subscribeFrame = (i: number) => {
    const ticket = tickets[i % TICKETS]!;
    return JSON.stringify({ type: 'subscribe', channel: `ticket:${ticket.id}`, token: ticket.token });
  };
  let retries = 0;
  sockets.forEach((ws, i) => {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; message?: { client_id: string } };
      if (frame.type === 'subscribed' && ++subscribed === SUBSCRIBERS) allSubscribed();
      // A subscription the loaded server could not check in time (pool timeout): ask again.
      if (frame.type === 'error') {
        retries += 1;
        setTimeout(() => ws.send(subscribeFrame(i)), 100);
      }
      if (frame.type !== 'message.created' || !frame.message) return;
      const p = pending.get(frame.message.client_id);
      if (!p) return;
      delivered += 1;
      if (--p.left === 0) {
        latencies.push(performance.now() - p.t0);
        pending.delete(frame.message.client_id);
        if (latencies.length === MESSAGES) allDone();
      }
    });
  });
  for (let i = 0; i < SUBSCRIBERS; i += 100) {
    const target = Math.min(SUBSCRIBERS, i + 100);
    for (let j = i; j < target; j++) sockets[j]!.send(subscribeFrame(j));
    while (subscribed < target) await new Promise((r) => setTimeout(r, 10));
  }
  await subscribedPromise;

  let next = 0;
  const answered: number[] = [];
  const base = `http://127.0.0.1:${port}`;
  await Promise.all(
    Array.from({ length: SEND_CONCURRENCY }, async () => {
      while (next < MESSAGES) {
        const i = next++;
        const ticket = tickets[i % TICKETS]!;
        const clientId = randomUUID();
        const t0 = performance.now();
        pending.set(clientId, { t0, left: perTicket });
        const message = { id: randomUUID(), request_id: ticket.id, author_type: 'user', body: `bench ${i}`, client_id: clientId, seq: i };
        const res =
          mode === 'app'
            ? await fetch(`${base}/api/tickets/${ticket.id}/messages`, {
                method: 'POST',
                headers: { authorization: `Bearer ${ticket.token}`, 'content-type': 'application/json' },
                body: JSON.stringify({ body: `bench ${i}`, clientId }),
              })
            : await fetch(`${base}/send`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ channel: `ticket:${ticket.id}`, message }),
              });
        answered.push(performance.now() - t0);
        if (res.status !== 201) throw new Error(`${mode}: send answered ${res.status} ${await res.text()}`);
      }
    }),
  );
  await Promise.race([done, new Promise((r) => setTimeout(r, 15_000))]);
  for (const ws of sockets) ws.terminate();
  return {
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    answeredP50: percentile(answered, 0.5),
    answeredP99: percentile(answered, 0.99),
    delivered,
    expected: MESSAGES * perTicket,
    retries,
  };
}

/**
 * Per-connection memory of a server holding `target` open, idle sockets (fewer when opening them takes
 * longer than the time bound allows), measured in the child after gc.
 */
async function idleMemory(child: ChildProcess, port: number, target: number, started: number | null) {
  const before = await ask(child);
  const sockets: WebSocket[] = [];
  // The baseline (started = null) opens exactly as many as the realtime server got, however long it takes.
  const phaseEnd = started === null ? Infinity : Math.min(Date.now() + IDLE_PHASE_MS, started + DEADLINE_MS - 40_000);
  while (sockets.length < target && Date.now() < phaseEnd) {
    const n = Math.min(CONNECT_BATCH, target - sockets.length);
    sockets.push(...(await Promise.all(Array.from({ length: n }, () => openSocket(port)))));
  }
  await new Promise((r) => setTimeout(r, 500));
  const after = await ask(child);
  return {
    sockets,
    connections: sockets.length,
    heap: (after.heap - before.heap) / sockets.length,
    rss: (after.rss - before.rss) / sockets.length,
  };
}

/**
 * Deliveries per second with every one of `sockets` (the idle ones, still open) subscribed, spread evenly
 * over the tickets: BIG_MESSAGES messages sent over HTTP, SEND_CONCURRENCY at a time, one ticket after
 * the other, counted from the first send to the last expected receipt (bounded: 30 s after the last send).
 * The sockets are closed at the end.
 */
async function deliveriesPerSecond(port: number, sockets: WebSocket[], tickets: BenchTicket[], mode: ChildMode) {
  const perTicket = new Map<string, number>();
  let subscribed = 0;
  let delivered = 0;
  let lastReceipt = 0;
  const ours = new Set<string>();
  const frameFor = (i: number) => {
    const ticket = tickets[i % TICKETS]!;
    return JSON.stringify({ type: 'subscribe', channel: `ticket:${ticket.id}`, token: ticket.token });
  };
  sockets.forEach((ws, i) => {
    const ticket = tickets[i % TICKETS]!;
    perTicket.set(ticket.id, (perTicket.get(ticket.id) ?? 0) + 1);
    ws.on('message', (data) => {
      const text = data.toString();
      if (text.includes('"message.created"')) {
        const frame = JSON.parse(text) as { message: { client_id: string } };
        if (!ours.has(frame.message.client_id)) return;
        delivered += 1;
        lastReceipt = performance.now();
        return;
      }
      const frame = JSON.parse(text) as { type: string };
      if (frame.type === 'subscribed') subscribed += 1;
      else if (frame.type === 'error') setTimeout(() => ws.send(frameFor(i)), 100);
    });
  });
  const s0 = performance.now();
  for (let i = 0; i < sockets.length; i += CONNECT_BATCH) {
    const target = Math.min(sockets.length, i + CONNECT_BATCH);
    for (let j = i; j < target; j++) sockets[j]!.send(frameFor(j));
    while (subscribed < target) await new Promise((r) => setTimeout(r, 10));
  }
  const subscribeMs = performance.now() - s0;

  let expected = 0;
  let next = 0;
  const base = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: SEND_CONCURRENCY }, async () => {
      while (next < BIG_MESSAGES) {
        const i = next++;
        const ticket = tickets[i % TICKETS]!;
        const clientId = randomUUID();
        ours.add(clientId);
        expected += perTicket.get(ticket.id) ?? 0;
        const message = { id: randomUUID(), request_id: ticket.id, author_type: 'user', body: `big ${i}`, client_id: clientId, seq: i };
        const res =
          mode === 'app'
            ? await fetch(`${base}/api/tickets/${ticket.id}/messages`, {
                method: 'POST',
                headers: { authorization: `Bearer ${ticket.token}`, 'content-type': 'application/json' },
                body: JSON.stringify({ body: `big ${i}`, clientId }),
              })
            : await fetch(`${base}/send`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ channel: `ticket:${ticket.id}`, message }),
              });
        if (res.status !== 201) throw new Error(`${mode}: send answered ${res.status} ${await res.text()}`);
      }
    }),
  );
  const sentAt = performance.now();
  while (delivered < expected && performance.now() - sentAt < 30_000) await new Promise((r) => setTimeout(r, 5));
  for (const ws of sockets) ws.terminate();
  await new Promise((r) => setTimeout(r, 500));
  const ms = (delivered >= expected ? lastReceipt : performance.now()) - t0;
  return { rate: delivered / (ms / 1000), delivered, expected, ms, subscribeMs };
}
