import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { WebSocket } from 'ws';
import { newTicketToken } from '../../src/server/modules/tickets/index.ts';
import { createBenchSchema } from './pg-schema.ts';
import { customerSendRequests } from './send-requests.ts';

// Where a send's time goes in the real server (issue 22): the server (bench/support/serve.ts, or the
// same file of another tree with --dir) runs under `node --cpu-prof` while autocannon posts
// POST /api/tickets/:id/messages from --connections connections for --seconds, optionally with
// --subscribers WebSockets subscribed to the tickets (the fan-out in the profile too). Prints the
// throughput, the server's event-loop delay, its pool (busy / waiting), what its database connections
// wait for (pg_stat_activity), and the profile's self time by package / source file / function.
//   node --import tsx bench/support/profile-send.ts --seconds 15 --connections 16 --subscribers 1000 --out /tmp/prof
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '15' },
    connections: { type: 'string', default: '16' },
    subscribers: { type: 'string', default: '0' },
    tickets: { type: 'string', default: '400' },
    dir: { type: 'string' },
    out: { type: 'string', default: '/tmp/send-profile' },
    'no-prof': { type: 'boolean', default: false },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const SUBSCRIBERS = Number(values.subscribers);
const TICKETS = Number(values.tickets);
const DIR = resolve(values.dir ?? join(import.meta.dirname, '../..'));
const OUT = resolve(values.out!);
mkdirSync(OUT, { recursive: true });
const APP_NAME = `profile-send-${randomUUID().slice(0, 8)}`;

const bench = await createBenchSchema('bench_prof');
try {
  const minted = Array.from({ length: TICKETS }, () => newTicketToken());
  const { rows } = await bench.db.query<{ id: string; token_hash: string }>(
    `INSERT INTO support_requests (email, message, token_hash)
     SELECT 'prof' || g || '@example.com', 'hello', h FROM unnest($1::text[]) WITH ORDINALITY AS t (h, g) RETURNING id, token_hash`,
    [minted.map((m) => m.hash)],
  );
  const byHash = new Map(minted.map((m) => [m.hash, m.token]));
  const tickets = rows.map((r) => ({ id: r.id, token: byHash.get(r.token_hash)! }));

  const before = new Set(readdirSync(OUT));
  const child = spawn(
    process.execPath,
    [...(values['no-prof'] ? [] : ['--cpu-prof', `--cpu-prof-dir=${OUT}`]), '--import', 'tsx', `${DIR}/bench/support/serve.ts`],
    {
      cwd: DIR,
      env: { ...process.env, BENCH_DATABASE_URL: bench.url, BENCH_SCHEMA: bench.schema, BENCH_STATS: '1', BENCH_APP_NAME: APP_NAME,
        BENCH_SERVER_ENV: JSON.stringify({ LOG_LEVEL: 'warn', WS_MAX_CONNECTIONS_PER_IP: String(SUBSCRIBERS + 100), WS_MAX_CONNECTIONS: String(SUBSCRIBERS + 100) }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stats = '';
  child.stderr.on('data', (d: Buffer) => {
    const s = d.toString();
    const m = /BENCH_STATS (.*)/.exec(s);
    if (m) stats = m[1]!;
    else process.stderr.write(s);
  });
  const port = await new Promise<number>((ok, fail) => {
    child.stdout.once('data', (d: Buffer) => ok(Number(d.toString().trim())));
    child.once('exit', (code) => fail(new Error(`server exited ${code}`)));
  });
  const base = `http://127.0.0.1:${port}`;

  // Subscribers, round-robin over the tickets; receipts counted.
  const sockets: WebSocket[] = [];
  let receipts = 0;
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const t = tickets[i % tickets.length]!;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/realtime`, { perMessageDeflate: false });
    await new Promise((ok, fail) => ws.once('open', ok).once('error', fail));
    const subscribed = new Promise<void>((ok) => {
      ws.on('message', (data) => {
        const s = data.toString();
        if (s.includes('"subscribed"')) ok();
        else if (s.includes('"message.created"')) receipts++;
      });
    });
    ws.send(JSON.stringify({ type: 'subscribe', channel: `ticket:${t.id}`, token: t.token }));
    await subscribed;
    sockets.push(ws);
  }

  const admin = new pg.Client({ connectionString: bench.url });
  await admin.connect();
  const waits = new Map<string, number>();
  let activeSamples = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const { rows: acts } = await admin.query<{ w: string; n: number }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS w, count(*)::int AS n
           FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' GROUP BY 1`,
        [APP_NAME],
      );
      for (const a of acts) {
        waits.set(a.w, (waits.get(a.w) ?? 0) + a.n);
        activeSamples += a.n;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();

  const load0 = loadavg()[0]!.toFixed(1);
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: customerSendRequests(tickets, 'profile'),
  });
  sampling = false;
  await sampler;
  await admin.end();
  await new Promise((r) => setTimeout(r, 1000));
  for (const ws of sockets) ws.terminate();
  await new Promise<void>((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });

  console.log(`load ${load0} → ${loadavg()[0]!.toFixed(1)}; ${DIR}`);
  console.log(
    `sends: ${(result.requests.total / SECONDS).toFixed(0)} /s over ${SECONDS} s at ${CONNECTIONS} connections; p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; non-2xx ${result.non2xx}, errors ${result.errors}`,
  );
  if (SUBSCRIBERS) console.log(`subscribers ${SUBSCRIBERS}: ${receipts} receipts (${(receipts / SECONDS).toFixed(0)} /s)`);
  console.log(`server: ${stats}`);
  const total = [...waits.values()].reduce((a, b) => a + b, 0) || 1;
  console.log(
    `busy DB connections (pg_stat_activity, every 200 ms): mean ${(activeSamples / Math.max(1, (SECONDS * 1000) / 200)).toFixed(1)}; ` +
      [...waits].sort((a, b) => b[1] - a[1]).map(([w, n]) => `${w} ${((100 * n) / total).toFixed(0)} %`).join(', '),
  );
  const file = readdirSync(OUT).find((f) => f.endsWith('.cpuprofile') && !before.has(f));
  if (file) summarise(join(OUT, file));
} finally {
  await bench.drop();
}

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number };

/** Self time of the profile by package / source file and by function, in % of all samples. */
function summarise(path: string) {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as { nodes: ProfileNode[]; samples: number[] };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const hits = new Map<number, number>();
  for (const s of profile.samples) hits.set(s, (hits.get(s) ?? 0) + 1);
  const total = profile.samples.length;
  const where = (url: string, fn: string) => {
    if (!url) return fn.startsWith('(') ? fn : `(native) ${fn}`;
    const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (nm) return nm[1]!;
    const src = /\/(src\/.*)$/.exec(url);
    if (src) return src[1]!;
    if (url.startsWith('node:')) return url;
    return url;
  };
  const byWhere = new Map<string, number>();
  const byFn = new Map<string, number>();
  for (const [id, n] of hits) {
    const node = byId.get(id)!;
    const w = where(node.callFrame.url, node.callFrame.functionName);
    byWhere.set(w, (byWhere.get(w) ?? 0) + n);
    const f = `${node.callFrame.functionName || '(anonymous)'} ${w}:${node.callFrame.lineNumber + 1}`;
    byFn.set(f, (byFn.get(f) ?? 0) + n);
  }
  const pct = (n: number) => `${((100 * n) / total).toFixed(1)} %`;
  const group = (prefix: (w: string) => string) => {
    const m = new Map<string, number>();
    for (const [w, n] of byWhere) m.set(prefix(w), (m.get(prefix(w)) ?? 0) + n);
    return [...m].sort((a, b) => b[1] - a[1]);
  };
  console.log(`profile ${path}: ${total} samples`);
  console.log('  by area: ' + group((w) => (w.startsWith('src/') ? 'our src/' : w.startsWith('node:') ? 'node: internals' : w)).slice(0, 22).map(([w, n]) => `${w} ${pct(n)}`).join(', '));
  console.log('  our files: ' + [...byWhere].filter(([w]) => w.startsWith('src/')).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([w, n]) => `${w} ${pct(n)}`).join(', '));
  console.log('  top functions:');
  for (const [f, n] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`    ${pct(n).padStart(7)}  ${f}`);
}
