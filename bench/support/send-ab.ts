import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { migrate, readFunctions, readMigrations } from '../../src/server/db/migrate.ts';
import { PostgresDb } from '../../src/server/db/postgres.ts';
import { newTicketToken } from '../../src/server/modules/tickets/index.ts';
import { BENCH_DATABASE_URL } from './pg-schema.ts';
import { type BenchTicket, customerSendRequests } from './send-requests.ts';

// Paired A/B of the customer send (POST /api/tickets/:id/messages): two servers up at once, each on its
// own schema migrated by its own tree, bursts of sends alternated A B, B A, … so that both see the same
// machine load. A = a baseline tree (OLD_DIR: e.g. `git archive <commit> | tar -x -C /tmp/old` with
// node_modules symlinked from this checkout), B = this tree. The figure is B's throughput / A's, per pair.
//   OLD_DIR=/tmp/old node --import tsx bench/support/send-ab.ts [pairs] [sends per burst]
const OLD_DIR = process.env.OLD_DIR;
if (!OLD_DIR) throw new Error('OLD_DIR: a checkout of the baseline commit');
const NEW_DIR = resolve(import.meta.dirname, '../..');
const PAIRS = Number(process.argv[2] ?? 8);
const BURST = Number(process.argv[3] ?? 2000);
const CONNECTIONS = 16;
const TICKETS = Math.ceil((PAIRS * BURST + BURST) / 60); // ≤ 60 sends a ticket: under the hourly limit

type Side = { name: string; dir: string; schema: string; db: PostgresDb; base: string; stop: () => Promise<void> };

async function side(name: string, dir: string): Promise<Side> {
  const schema = `ab_${name}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const db = new PostgresDb({ connectionString: BENCH_DATABASE_URL, schema, max: 4 });
  await migrate(db, await readMigrations(`${dir}/migrations`), await readFunctions(`${dir}/migrations/functions`));
  const child = spawn(process.execPath, ['--import', 'tsx', `${dir}/bench/support/serve.ts`], {
    cwd: dir,
    env: { ...process.env, BENCH_DATABASE_URL, BENCH_SCHEMA: schema },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((ok, fail) => {
    child.stdout.once('data', (d: Buffer) => ok(Number(d.toString().trim())));
    child.once('exit', (code) => fail(new Error(`${name} server exited ${code}`)));
  });
  const stop = async () => {
    await new Promise<void>((done) => {
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
    await db.close();
    const c = new pg.Client({ connectionString: BENCH_DATABASE_URL });
    await c.connect();
    await c.query(`DROP SCHEMA ${schema} CASCADE`);
    await c.end();
  };
  return { name, dir, schema, db, base: `http://127.0.0.1:${port}`, stop };
}

/** Open tickets straight in SQL (the send is what is measured), each with a token of its own. */
async function tickets(s: Side, n: number): Promise<BenchTicket[]> {
  const minted = Array.from({ length: n }, () => newTicketToken());
  const { rows } = await s.db.query<{ id: string; token_hash: string }>(
    `INSERT INTO support_requests (email, message, token_hash)
     SELECT 'ab' || g || '@example.com', 'hello', h FROM unnest($1::text[]) WITH ORDINALITY AS t (h, g) RETURNING id, token_hash`,
    [minted.map((m) => m.hash)],
  );
  const byHash = new Map(minted.map((m) => [m.hash, m.token]));
  return rows.map((r) => ({ id: r.id, token: byHash.get(r.token_hash)! }));
}

async function burst(s: Side, ts: BenchTicket[], start: number): Promise<{ rate: number; bad: number }> {
  // autocannon's own duration ends on a whole second: time the last answer instead.
  const t0 = performance.now();
  let last = t0;
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon(
      {
        url: s.base,
        connections: CONNECTIONS,
        amount: BURST,
        requests: customerSendRequests(ts, 'ab', start),
      },
      (err, res) => (err ? fail(err) : done(res)),
    );
    instance.on('response', () => {
      last = performance.now();
    });
  });
  const seconds = (last - t0) / 1000;
  return { rate: BURST / seconds, bad: result.errors + result.non2xx };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = () => loadavg()[0]!.toFixed(1);

const a = await side('old', OLD_DIR);
const b = await side('new', NEW_DIR);
try {
  const ta = await tickets(a, TICKETS);
  const tb = await tickets(b, TICKETS);
  const loadBefore = load();
  await burst(a, ta, 0); // warm-up, not counted
  await burst(b, tb, 0);
  const ratios: number[] = [];
  let bad = 0;
  for (let p = 0; p < PAIRS; p++) {
    const offset = (p + 1) * BURST;
    const order = p % 2 === 0 ? [a, b] : [b, a];
    const r: Record<string, number> = {};
    for (const s of order) {
      const res = await burst(s, s === a ? ta : tb, offset);
      r[s.name] = res.rate;
      bad += res.bad;
    }
    ratios.push(r.new! / r.old!);
    console.log(`pair ${p + 1} (${order.map((s) => s.name).join(' then ')}): old ${r.old!.toFixed(0)} /s, new ${r.new!.toFixed(0)} /s, new/old ${(r.new! / r.old!).toFixed(2)}   load ${load()}`);
  }
  console.log(`${PAIRS} pairs of ${BURST}-send bursts, ${CONNECTIONS} connections; load ${loadBefore} → ${load()}; errors/non-2xx: ${bad}`);
  console.log(`new/old throughput: median ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`);
} finally {
  await a.stop();
  await b.stop();
}
