import { randomUUID } from 'node:crypto';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { createBenchSchema, percentile } from './support/pg-schema.ts';

// Issue 13: with another ticket's token, an existing ticket id answered measurably slower than an
// unknown one (the probe saw the existing id slower in 303 of 400 pairs). On the PostgreSQL server,
// in-process (app.inject), interleaved pairs of GET /api/tickets/:id with ticket B's token: A's id (which
// exists) and a random id. The figures: p50 ratio existing/unknown (aim ≈ 1) and the share of pairs where
// the existing id was slower (aim ≈ 50 %).
const TICKETS = 200;
const PAIRS = 400;

const bench = await createBenchSchema('bench_ticket_token');
const { db } = bench;
const config = loadConfig({ PORT: '0', DEMO_DATA: 'false', RATE_LIMIT: 'off', LOG_LEVEL: 'warn' });
const app = await buildApp({ db, config });
await app.ready();
const ms = (t0: number) => performance.now() - t0;

try {
  const tickets: { id: string; token: string }[] = [];
  for (let i = 0; i < TICKETS; i++) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/tickets',
      payload: { email: `bench.token.${i}@example.com`, message: 'hello' },
      remoteAddress: `10.77.${i >> 8}.${i & 255}`,
    });
    if (res.statusCode !== 201) throw new Error(`create ${res.statusCode} ${res.body}`);
    tickets.push({ id: res.json().ticket.id, token: res.json().token });
  }
  const timed = async (id: string, token: string) => {
    const t0 = performance.now();
    const res = await app.inject({ url: `/api/tickets/${id}`, headers: { authorization: `Bearer ${token}` } });
    const t = ms(t0);
    if (res.statusCode !== 404) throw new Error(`expected 404, got ${res.statusCode}`);
    return t;
  };
  // Warm-up, so that the first pairs do not pay for JIT and plan caching.
  for (let i = 0; i < 50; i++) await timed(randomUUID(), tickets[0]!.token);

  const existing: number[] = [];
  const unknown: number[] = [];
  let existingSlower = 0;
  for (let i = 0; i < PAIRS; i++) {
    const a = tickets[i % TICKETS]!;
    const b = tickets[(i + 1) % TICKETS]!;
    // Alternate which goes first, so that neither profits from the other's warm caches.
    const [e, u] =
      i % 2 === 0
        ? [await timed(a.id, b.token), await timed(randomUUID(), b.token)]
        : await timed(randomUUID(), b.token).then(async (u0) => [await timed(a.id, b.token), u0] as const);
    existing.push(e);
    unknown.push(u);
    if (e > u) existingSlower += 1;
  }
  const p50e = percentile(existing, 0.5);
  const p50u = percentile(unknown, 0.5);
  process.stdout.write(
    `existing id, other token: p50 ${p50e.toFixed(3)} ms, p95 ${percentile(existing, 0.95).toFixed(3)} ms\n` +
      `unknown id, same token  : p50 ${p50u.toFixed(3)} ms, p95 ${percentile(unknown, 0.95).toFixed(3)} ms\n` +
      `  ratio p50 existing/unknown: ${(p50e / p50u).toFixed(2)} (aim ≈ 1)\n` +
      `  existing slower in ${existingSlower} of ${PAIRS} pairs (${((100 * existingSlower) / PAIRS).toFixed(0)} %; the probe saw 303 of 400 before)\n`,
  );
} finally {
  await app.close();
  await bench.drop();
}
