import { randomUUID } from 'node:crypto';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { runEscalationOnce } from '../src/server/modules/tickets/index.ts';
import { applyOrderUpdate } from '../src/server/modules/orders/orders.service.ts';
import { signOrderWebhook } from '../src/server/modules/orders/webhook-signature.ts';
import { createBenchSchema, percentile } from './support/pg-schema.ts';

// Orders figures (issue 5, part B), on the PostgreSQL server, in-process (app.inject: no sockets, so the
// figures are the server's own work):
//  1. tracking lookups: p50/p95 of a wrong e-mail for an existing number beside an unknown number,
//     interleaved; their ratio is the figure (aim ≈ 1: the answer's timing must not tell them apart);
//     a right lookup (200) for scale;
//  2. signed webhook updates per second at 8 concurrent callers, beside applyOrderUpdate called directly
//     (no HTTP, no HMAC): the ratio is the figure;
//  3. one escalation pass over 2,000 due tickets: tickets per second.
const SECRET = 'bench-secret-0123456789abcdef';
const ORDERS = 600;
const LOOKUPS = 600;
const PER_STEP = 300;
const CONCURRENCY = 8;
const DUE_TICKETS = 2000;

const bench = await createBenchSchema('bench_orders');
const { db } = bench;
const config = { ...loadConfig({ PORT: '0', DEMO_DATA: 'false', RATE_LIMIT: 'off', LOG_LEVEL: 'warn' }), ordersWebhookSecret: SECRET };
const app = await buildApp({ db, config });
await app.ready();
const ms = (t0: number) => performance.now() - t0;
const fmt = (n: number) => n.toFixed(2);

try {
  // Orders to look up, created through the service (same rows as the webhook writes).
  const numbers = Array.from({ length: ORDERS }, (_, i) => `BO-${i}`);
  let created = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (created < ORDERS) {
        const i = created++;
        await applyOrderUpdate({
          db,
          input: { number: numbers[i]!, email: `owner${i}@example.com`, status: 'preparing', items: [{ name: 'Burger', qty: 1, price: 9.5 }], updatedAt: new Date(Date.now() - 60_000).toISOString() },
        });
      }
    }),
  );

  // 1. Every lookup from its own address and, for the failures, on its own number: the brake never trips.
  let ip = 0;
  const nextIp = () => {
    ip += 1;
    return `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`;
  };
  const timed = async (number: string, email: string, expected: number) => {
    const t0 = performance.now();
    const res = await app.inject({ url: `/api/orders/track?number=${number}&email=${email}`, remoteAddress: nextIp() });
    const t = ms(t0);
    if (res.statusCode !== expected) throw new Error(`expected ${expected}, got ${res.statusCode} ${res.body}`);
    return t;
  };
  const wrongEmail: number[] = [];
  const unknown: number[] = [];
  const right: number[] = [];
  for (let i = 0; i < 100; i += 1) await timed(numbers[i]!, `owner${i}@example.com`, 200); // warm-up
  for (let i = 0; i < LOOKUPS; i += 1) {
    const n = i % ORDERS;
    // Alternate which kind goes first, so neither profits from the other's warm caches.
    if (i % 2 === 0) {
      wrongEmail.push(await timed(numbers[n]!, `stranger${i}@example.com`, 404));
      unknown.push(await timed(`BX-${randomUUID().slice(0, 8)}`, `stranger${i}@example.com`, 404));
    } else {
      unknown.push(await timed(`BX-${randomUUID().slice(0, 8)}`, `stranger${i}@example.com`, 404));
      wrongEmail.push(await timed(numbers[n]!, `stranger${i}@example.com`, 404));
    }
    if (i % 4 === 0) right.push(await timed(numbers[n]!, `owner${n}@example.com`, 200));
  }
  const p = (v: number[], q: number) => percentile(v, q);
  process.stdout.write(
    `track 404 wrong e-mail : p50 ${fmt(p(wrongEmail, 0.5))} ms, p95 ${fmt(p(wrongEmail, 0.95))} ms (n=${wrongEmail.length})\n` +
      `track 404 unknown no.  : p50 ${fmt(p(unknown, 0.5))} ms, p95 ${fmt(p(unknown, 0.95))} ms (n=${unknown.length})\n` +
      `  ratio wrong/unknown  : p50 ${fmt(p(wrongEmail, 0.5) / p(unknown, 0.5))}, p95 ${fmt(p(wrongEmail, 0.95) / p(unknown, 0.95))} (aim ≈ 1)\n` +
      `track 200 right        : p50 ${fmt(p(right, 0.5))} ms, p95 ${fmt(p(right, 0.95))} ms (n=${right.length})\n`,
  );

  // 2. Status updates: each caller moves its own orders forward one step at a time.
  const statuses = ['ready', 'out_for_delivery', 'delivered'] as const;
  const work = (base: string) =>
    Array.from({ length: PER_STEP * statuses.length }, (_, i) => ({
      number: `${base}-${i % PER_STEP}`,
      email: `w${i % PER_STEP}@example.com`,
      status: statuses[Math.floor(i / PER_STEP)]!,
      updatedAt: new Date(Date.now() - 60_000 + i).toISOString(),
    }));
  async function drive(items: ReturnType<typeof work>, send: (item: ReturnType<typeof work>[number]) => Promise<void>) {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < items.length) await send(items[next++]!);
      }),
    );
    return items.length / (ms(t0) / 1000);
  }
  const direct = await drive(work('BD'), async (input) => {
    await applyOrderUpdate({ db, input });
  });
  const viaHttp = await drive(work('BH'), async (input) => {
    const raw = JSON.stringify(input);
    const ts = Math.floor(Date.now() / 1000);
    const res = await app.inject({
      method: 'POST',
      url: '/api/integrations/orders',
      headers: { 'content-type': 'application/json', 'x-tf-timestamp': String(ts), 'x-tf-signature': signOrderWebhook(SECRET, ts, raw) },
      payload: raw,
    });
    if (res.statusCode >= 300) throw new Error(`webhook ${res.statusCode} ${res.body}`);
  });
  process.stdout.write(
    `webhook (HTTP + HMAC)  : ${viaHttp.toFixed(0)} updates/s at ${CONCURRENCY} callers\n` +
      `applyOrderUpdate direct: ${direct.toFixed(0)} updates/s\n` +
      `  ratio http/direct    : ${fmt(viaHttp / direct)}\n`,
  );

  // 3. A backlog of due tickets, escalated in one pass.
  await db.query(
    `INSERT INTO support_requests (email, message, token_hash, created_at)
     SELECT 'due' || g || '@example.com', 'hello', md5(g::text || $1), now() - interval '5 hours'
       FROM generate_series(1, $2::int) g`,
    [randomUUID(), DUE_TICKETS],
  );
  const t0 = performance.now();
  const escalated = await runEscalationOnce(db);
  const seconds = ms(t0) / 1000;
  process.stdout.write(`escalation pass        : ${escalated.length} tickets in ${fmt(seconds)} s (${(escalated.length / seconds).toFixed(0)} tickets/s)\n`);
} finally {
  await app.close();
  await bench.drop();
}
