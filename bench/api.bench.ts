import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { createBenchSchema, percentile } from './support/pg-schema.ts';
import { type BenchTicket, customerSendRequests } from './support/send-requests.ts';

// Foundation figures (issue 2), on the PostgreSQL server:
//  1. message sends through the HTTP API at 16 concurrent clients, beside the same INSERT sent straight
//     to the database by 16 concurrent connections: the ratio is the figure (aim ≥ 0.6, issue 22); and
//     beside a bare Fastify route doing only that INSERT (bench/support/insert-server.ts, the load test's
//     baseline) under the same autocannon load: what HTTP itself costs on this machine;
//  2. p95 of a messages page at 1,000 and at 1,000,000 stored messages: the ratio is the figure (aim < 1.5).
const CONCURRENCY = 16;
// BENCH_SENDS / BENCH_TICKETS shrink the run on a machine too loaded for 8,000 sends (≤ 60 sends a ticket).
const TICKETS = Number(process.env.BENCH_TICKETS ?? 400);
const SENDS = Number(process.env.BENCH_SENDS ?? 8000);
const PAGE_SAMPLES = 400;

const bench = await createBenchSchema('bench_api');
const { db } = bench;

async function createTickets(n: number) {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO support_requests (email, message, token_hash, last_message_seq)
     SELECT 'bench' || g || '@example.com', 'hello', md5(g::text || $1), 0 FROM generate_series(1, $2::int) g RETURNING id`,
    [randomUUID(), n],
  );
  return rows.map((r) => r.id);
}

async function rawInsertRate(): Promise<number> {
  const tickets = await createTickets(TICKETS);
  const clients = await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const c = new pg.Client({ connectionString: bench.url, options: `-c search_path=${bench.schema}` });
      await c.connect();
      return c;
    }),
  );
  let next = 0;
  const started = performance.now();
  await Promise.all(
    clients.map(async (c) => {
      while (next < SENDS) {
        const i = next++;
        await c.query(
          `WITH n AS (UPDATE support_requests SET last_message_seq = last_message_seq + 1, updated_at = now()
                       WHERE id = $1 RETURNING last_message_seq)
           INSERT INTO support_messages (request_id, author_type, body, client_id, seq)
           SELECT $1, 'user', $2, $3, last_message_seq FROM n`,
          [tickets[i % tickets.length], `raw message ${i}`, randomUUID()],
        );
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.end()));
  return SENDS / seconds;
}

async function startServer(file = './support/serve.ts'): Promise<{ port: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(file, import.meta.url))], {
    env: { ...process.env, BENCH_DATABASE_URL: bench.url, BENCH_SCHEMA: bench.schema },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return {
    port,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function openTicketsViaApi(base: string, n: number) {
  const out: BenchTicket[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${base}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `api${i}.${randomUUID().slice(0, 8)}@example.com`, message: 'bench' }),
    });
    const body = (await res.json()) as { ticket: { id: string }; token: string };
    out.push({ id: body.ticket.id, token: body.token });
  }
  return out;
}

async function apiSendRate(base: string, given?: BenchTicket[]): Promise<{ rate: number; errors: number; non2xx: number; p99: number }> {
  const tickets = given ?? (await openTicketsViaApi(base, TICKETS));
  const result = await autocannon({
    url: base,
    connections: CONCURRENCY,
    amount: SENDS,
    requests: customerSendRequests(tickets, 'api'),
  });
  return { rate: result.requests.average ? SENDS / (result.duration || 1) : 0, errors: result.errors, non2xx: result.non2xx, p99: result.latency.p99 };
}

async function pageP95(base: string, ticket: { id: string; token: string }): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < PAGE_SAMPLES; i++) {
    const t0 = performance.now();
    const res = await fetch(`${base}/api/tickets/${ticket.id}/messages?limit=20`, { headers: { authorization: `Bearer ${ticket.token}` } });
    await res.arrayBuffer();
    samples.push(performance.now() - t0);
  }
  return percentile(samples, 0.95);
}

async function fillMessages(ticketId: string, total: number) {
  const { rows } = await db.query<{ last: number }>('SELECT last_message_seq AS last FROM support_requests WHERE id = $1', [ticketId]);
  let last = rows[0]!.last;
  while (last < total) {
    const n = Math.min(100_000, total - last);
    // Customer messages only: every agent message fires the first-response trigger, whose UPDATE of the
    // one ticket row would turn a bulk fill into minutes of row versions.
    await db.query(
      `INSERT INTO support_messages (request_id, author_type, body, seq)
       SELECT $1, 'user', 'filler message ' || g, $2 + g FROM generate_series(1, $3::int) g`,
      [ticketId, last, n],
    );
    last += n;
    await db.query('UPDATE support_requests SET last_message_seq = $2 WHERE id = $1', [ticketId, last]);
  }
  await db.query('ANALYZE support_messages');
}

// `tsx bench/api.bench.ts sends` or `… pages` runs one half only.
const only = process.argv[2];
try {
  const raw = only === 'pages' ? 0 : await rawInsertRate();
  const server = await startServer();
  const base = `http://127.0.0.1:${server.port}`;
  try {
    if (only !== 'pages') {
      // The bare Fastify route right before the API, on tickets of its own (same schema, same server).
      const bare = await startServer('./support/insert-server.ts');
      let fastify;
      try {
        const bareTickets = (await createTickets(TICKETS)).map((id) => ({ id, token: 'unused' }));
        fastify = await apiSendRate(`http://127.0.0.1:${bare.port}`, bareTickets);
      } finally {
        await bare.stop();
      }
      const api = await apiSendRate(base);
      console.log(`message send, ${CONCURRENCY} concurrent clients, ${SENDS} sends over ${TICKETS} tickets (load ${loadavg()[0]!.toFixed(1)}):`);
      console.log(`  raw INSERT straight to PostgreSQL: ${raw.toFixed(0)} /s`);
      console.log(`  bare Fastify route + that INSERT:  ${fastify.rate.toFixed(0)} /s (p99 ${fastify.p99} ms)`);
      console.log(`  POST /api/tickets/:id/messages:  ${api.rate.toFixed(0)} /s (errors ${api.errors}, non-2xx ${api.non2xx}, p99 ${api.p99} ms)`);
      console.log(`  ratio API / raw: ${(api.rate / raw).toFixed(2)} (aim ≥ 0.60); API / bare Fastify: ${(api.rate / fastify.rate).toFixed(2)}; bare Fastify / raw: ${(fastify.rate / raw).toFixed(2)}`);
    }

    if (only !== 'sends') await pagesAtScale(base);
  } finally {
    await server.stop();
  }
} finally {
  await bench.drop();
}

async function pagesAtScale(base: string) {
  const [ticket] = await openTicketsViaApi(base, 1);
  await fillMessages(ticket!.id, 1_000);
  await pageP95(base, ticket!); // warm-up
  const small = await pageP95(base, ticket!);
  await fillMessages(ticket!.id, 1_000_000);
  await pageP95(base, ticket!);
  const large = await pageP95(base, ticket!);
  console.log(`messages page (limit 20), p95 over ${PAGE_SAMPLES} requests:`);
  console.log(`  at 1,000 stored messages:     ${small.toFixed(2)} ms`);
  console.log(`  at 1,000,000 stored messages: ${large.toFixed(2)} ms`);
  console.log(`  ratio: ${(large / small).toFixed(2)} (aim < 1.5)`);
}
