import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import { createBenchSchema, percentile } from './pg-schema.ts';

// Where a message send spends its time, without HTTP or Node's event loop in the way: the statements
// of POST /api/tickets/:id/messages (then messages.service.ts sendCustomerMessage; the send is now one
// function, modules/tickets/send-customer-message.ts),
// replayed straight on the PostgreSQL server by as many connections as the server's pool (20), beside
// the load test's baseline statement. Each statement is timed from the client; then EXPLAIN ANALYZE
// gives the server-side execution time of the two that read or write messages.
//
//   node --import tsx bench/support/send-path-sql.ts [seconds=10]
const SECONDS = Number(process.argv[2] ?? 10);
const CONNECTIONS = 20;
const TICKETS = 400;
const APP = 'bench-send-path';

const bench = await createBenchSchema('bench_sendpath');
// The send's insert: the one function that appends a message for every author (tf_append_message,
// migrations/functions/append-message.sql: bump the ticket's seq, insert the message and its analytics row).
const SEND_INSERT = `SELECT * FROM tf_append_message($1::uuid, 'user', $2::text, $3::uuid, NULL)`;
const STEPS = {
  begin: 'BEGIN',
  lock: 'SELECT * FROM support_requests WHERE id = $1 FOR UPDATE',
  state: `SELECT (SELECT m.id FROM support_messages m WHERE m.request_id = $1 AND m.client_id = $2) AS existing,
                 count(*)::int AS count, min(created_at) AS oldest
            FROM support_messages
           WHERE request_id = $1 AND author_type = 'user' AND created_at > now() - make_interval(secs => 3600)`,
  insert: `SELECT ins.*, pg_notify(tf_bus_channel(), json_build_object(
             'type', 'message.created', 'ticketId', ins.request_id, 'messageId', ins.id, 'seq', ins.seq)::text) AS notified
             FROM (${SEND_INSERT}) ins`,
  insertNoNotify: SEND_INSERT,
  commit: 'COMMIT',
  hubRead: 'SELECT * FROM support_messages WHERE id = $1',
  baseline: `WITH n AS (UPDATE support_requests SET last_message_seq = last_message_seq + 1, updated_at = now()
                          WHERE id = $1 RETURNING last_message_seq)
             INSERT INTO support_messages (request_id, author_type, body, client_id, seq)
             SELECT $1, 'user', $2, $3, last_message_seq FROM n RETURNING id`,
  baselineNotify: `WITH n AS (UPDATE support_requests SET last_message_seq = last_message_seq + 1, updated_at = now()
                          WHERE id = $1 RETURNING last_message_seq),
                  ins AS (INSERT INTO support_messages (request_id, author_type, body, client_id, seq)
                          SELECT $1, 'user', $2, $3, last_message_seq FROM n RETURNING id, request_id, seq)
             SELECT id, pg_notify('tf_events_' || current_schema(), json_build_object(
               'type', 'message.created', 'ticketId', request_id, 'messageId', id, 'seq', seq)::text) FROM ins`,
} as const;
type Step = keyof typeof STEPS;

async function tickets(): Promise<string[]> {
  const { rows } = await bench.db.query<{ id: string }>(
    `INSERT INTO support_requests (email, message, token_hash)
     SELECT 'sp-' || g || '@example.com', 'hello', md5(random()::text) FROM generate_series(1, $1::int) g RETURNING id`,
    [TICKETS],
  );
  return rows.map((r) => r.id);
}

/** `CONNECTIONS` clients running `one` in a loop for SECONDS; sends per second and each step's times. */
async function run(one: (c: pg.Client, ticket: string, time: Time) => Promise<void>) {
  const ids = await tickets();
  const clients = await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const c = new pg.Client({ connectionString: bench.url, options: `-c search_path=${bench.schema}`, application_name: APP });
      await c.connect();
      return c;
    }),
  );
  // What the connections wait for, sampled from pg_stat_activity every 100 ms.
  const waits = new Map<string, number>();
  const sampler = new pg.Client({ connectionString: bench.url });
  await sampler.connect();
  let sampling = true;
  const sampled = (async () => {
    while (sampling) {
      const { rows } = await sampler.query<{ w: string; n: number }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, state) AS w, count(*)::int AS n
           FROM pg_stat_activity WHERE application_name = $1 GROUP BY 1`,
        [APP],
      );
      for (const r of rows) waits.set(r.w, (waits.get(r.w) ?? 0) + r.n);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const times = new Map<Step, number[]>();
  let sends = 0;
  let next = 0;
  const end = Date.now() + SECONDS * 1000;
  const t0 = performance.now();
  await Promise.all(
    clients.map(async (c) => {
      const time = async (s: Step, sql: string, p?: unknown[]) => {
        const t = performance.now();
        const r = await c.query(sql, p);
        let list = times.get(s);
        if (!list) times.set(s, (list = []));
        list.push(performance.now() - t);
        return r;
      };
      while (Date.now() < end) {
        await one(c, ids[next++ % ids.length]!, time);
        sends += 1;
      }
    }),
  );
  const rate = sends / ((performance.now() - t0) / 1000);
  sampling = false;
  await sampled;
  await sampler.end();
  await Promise.all(clients.map((c) => c.end()));
  const total = [...waits.values()].reduce((a, b) => a + b, 0);
  const waitShares = [...waits]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([w, n]) => `${w} ${((100 * n) / total).toFixed(0)} %`)
    .join(', ');
  return { rate, times, waitShares };
}

type Time = (s: Step, sql: string, p?: unknown[]) => Promise<pg.QueryResult>;
const service = (withHubRead: boolean, notify = true, asyncCommit = false) => async (_c: pg.Client, ticket: string, time: Time) => {
  await time('begin', STEPS.begin);
  if (asyncCommit) await time('begin', 'SET LOCAL synchronous_commit = off');
  await time('lock', STEPS.lock, [ticket]);
  const clientId = randomUUID();
  await time('state', STEPS.state, [ticket, clientId]);
  const r = await time('insert', notify ? STEPS.insert : STEPS.insertNoNotify, [ticket, 'send path', clientId]);
  await time('commit', STEPS.commit);
  if (withHubRead) await time('hubRead', STEPS.hubRead, [r.rows[0].id]);
};

/**
 * The alternative measured: NOTIFY out of the writing transaction, one doorbell for a batch. Each send
 * hands its event over after its commit; one connection sends all events waiting, in one autocommitted
 * statement, as often as it can. Reports the doorbell's delay after the send's commit.
 */
function batchedNotifier() {
  let pending: Array<{ payload: string; at: number }> = [];
  const delays: number[] = [];
  let batches = 0;
  let running = true;
  const c = new pg.Client({ connectionString: bench.url, options: `-c search_path=${bench.schema}` });
  const loop = (async () => {
    await c.connect();
    while (running || pending.length) {
      if (pending.length === 0) {
        await new Promise((r) => setTimeout(r, 2));
        continue;
      }
      const batch = pending;
      pending = [];
      await c.query(`SELECT pg_notify('tf_events_' || current_schema(), p) FROM unnest($1::text[]) p`, [batch.map((e) => e.payload)]);
      const now = performance.now();
      for (const e of batch) delays.push(now - e.at);
      batches += 1;
    }
    await c.end();
  })();
  return {
    publish: (payload: string) => pending.push({ payload, at: performance.now() }),
    stop: async () => {
      running = false;
      await loop;
      return { batches, p50: percentile(delays, 0.5), p99: percentile(delays, 0.99), events: delays.length };
    },
  };
}

try {
  const before = loadavg();
  const baseline = await run(async (_c, ticket, time) => {
    await time('baseline', STEPS.baseline, [ticket, 'send path', randomUUID()]);
  });
  const baselineNotify = await run(async (_c, ticket, time) => {
    await time('baseline', STEPS.baselineNotify, [ticket, 'send path', randomUUID()]);
  });
  const send = await run(service(false));
  const sendNoNotify = await run(service(false, false));
  const sendAndRead = await run(service(true));
  const sendAsyncCommit = await run(service(false, true, true));
  const notifier = batchedNotifier();
  const sendBatched = await run(async (c, ticket, time) => {
    await service(false, false)(c, ticket, time);
    notifier.publish(JSON.stringify({ type: 'message.created', ticketId: ticket }));
  });
  const doorbell = await notifier.stop();
  const ms = (v: number[] | undefined) => (v ? `mean ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(1)} ms, p99 ${percentile(v, 0.99).toFixed(1)} ms` : '-');
  const lines = [
    `${CONNECTIONS} connections, ${SECONDS} s each, ${TICKETS} tickets; load average before ${before.map((v) => v.toFixed(2)).join(' ')}, after ${loadavg().map((v) => v.toFixed(2)).join(' ')}`,
    `baseline statement (1 round trip):            ${baseline.rate.toFixed(0)} /s   ${ms(baseline.times.get('baseline'))}   waits: ${baseline.waitShares}`,
    `the send's transaction (5 round trips):       ${send.rate.toFixed(0)} /s   ratio ${(send.rate / baseline.rate).toFixed(2)}   waits: ${send.waitShares}`,
    ...(['begin', 'lock', 'state', 'insert', 'commit'] as Step[]).map((s) => `    ${s.padEnd(8)} ${ms(send.times.get(s))}`),
    `the same + the hub's read of the new message:  ${sendAndRead.rate.toFixed(0)} /s   ratio ${(sendAndRead.rate / baseline.rate).toFixed(2)}`,
    `the send's transaction without pg_notify:     ${sendNoNotify.rate.toFixed(0)} /s   ratio ${(sendNoNotify.rate / baseline.rate).toFixed(2)}   waits: ${sendNoNotify.waitShares}`,
    ...(['begin', 'lock', 'state', 'insert', 'commit'] as Step[]).map((s) => `    ${s.padEnd(8)} ${ms(sendNoNotify.times.get(s))}`),
    `the send's transaction, NOTIFY batched after commit by one connection: ${sendBatched.rate.toFixed(0)} /s   ratio ${(sendBatched.rate / baseline.rate).toFixed(2)}   ` +
      `${doorbell.events} events in ${doorbell.batches} NOTIFY statements, delay after commit p50 ${doorbell.p50.toFixed(1)} ms p99 ${doorbell.p99.toFixed(1)} ms`,
    `baseline statement + pg_notify (autocommit):  ${baselineNotify.rate.toFixed(0)} /s   ratio ${(baselineNotify.rate / baseline.rate).toFixed(2)}   ${ms(baselineNotify.times.get('baseline'))}   waits: ${baselineNotify.waitShares}`,
    `the send's transaction, synchronous_commit off (not an option: an answered message could be lost): ${sendAsyncCommit.rate.toFixed(0)} /s   ratio ${(sendAsyncCommit.rate / baseline.rate).toFixed(2)}   commit ${ms(sendAsyncCommit.times.get('commit'))}`,
  ];
  // Server-side execution of the two message statements on a ticket holding 100 messages.
  const [ticket] = await tickets();
  for (let i = 0; i < 100; i++) await bench.db.query(STEPS.baseline, [ticket, 'filler', randomUUID()]);
  await bench.db.query('ANALYZE');
  for (const [name, sql, params] of [
    ['state', STEPS.state, [ticket, randomUUID()]],
    ['insert', STEPS.insert, [ticket, 'explain', randomUUID()]],
  ] as const) {
    const { rows } = await bench.db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, [...params]);
    const plan = rows.map((r) => r['QUERY PLAN']);
    lines.push(`EXPLAIN ANALYZE ${name}: ${plan.filter((l) => /Execution Time|Planning Time/.test(l)).join('; ')}`);
    lines.push(...plan.filter((l) => /Scan|Insert|Update/.test(l)).map((l) => `    ${l.trim()}`));
  }
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await bench.drop();
}
