import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import { newTicketToken } from '../../src/server/modules/tickets/index.ts';
import { createBenchSchema } from './pg-schema.ts';

// The SQL ceiling of the customer's send (issue 22), no HTTP and no Node server: from 16 connections, the
// api bench's raw INSERT (next seq + message row) beside the send's own statement
// (tf_send_customer_message: lock, token, clientId, state, hourly count, tf_append_message) and
// tf_append_message alone (seq, message, analytics row), in rounds interleaved raw / send / append so
// that each sees the same machine. The figure is each one's rate / the raw INSERT's of the same round.
//   node --import tsx bench/support/send-sql.ts [rounds] [statements per round]
const ROUNDS = Number(process.argv[2] ?? 3);
const PER_ROUND = Number(process.argv[3] ?? 3000);
const CONNECTIONS = 16;
const TICKETS = Math.ceil((ROUNDS * PER_ROUND * 3) / 60) + 16; // ≤ 60 sends a ticket an hour: under the limit

const bench = await createBenchSchema('bench_sendsql');
try {
  const minted = Array.from({ length: TICKETS }, () => newTicketToken());
  const { rows } = await bench.db.query<{ id: string; token_hash: string }>(
    `INSERT INTO support_requests (email, message, token_hash)
     SELECT 'sql' || g || '@example.com', 'hello', h FROM unnest($1::text[]) WITH ORDINALITY AS t (h, g) RETURNING id, token_hash`,
    [minted.map((m) => m.hash)],
  );
  const tickets = rows.map((r) => ({ id: r.id, hash: r.token_hash }));
  const clients = await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const c = new pg.Client({ connectionString: bench.url, options: `-c search_path=${bench.schema}` });
      await c.connect();
      return c;
    }),
  );
  let cursor = 0;
  const variants: Record<string, (c: pg.Client, t: { id: string; hash: string }, i: number) => Promise<unknown>> = {
    raw: (c, t, i) =>
      c.query(
        `WITH n AS (UPDATE support_requests SET last_message_seq = last_message_seq + 1, updated_at = now()
                     WHERE id = $1 RETURNING last_message_seq)
         INSERT INTO support_messages (request_id, author_type, body, client_id, seq)
         SELECT $1, 'user', $2, $3, last_message_seq FROM n`,
        [t.id, `raw message ${i}`, randomUUID()],
      ),
    send: (c, t, i) =>
      c.query(
        `SELECT s.send_outcome, (s.sent_message).* FROM tf_send_customer_message($1::uuid, $2::text, $3::text, $4::uuid, 100, 3600, '{}') s`,
        [t.id, t.hash, `send message ${i}`, randomUUID()],
      ),
    append: (c, t, i) => c.query(`SELECT * FROM tf_append_message($1::uuid, 'user', $2::text, $3::uuid, NULL)`, [t.id, `append message ${i}`, randomUUID()]),
  };
  const rate = async (name: string) => {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      clients.map(async (c) => {
        while (next < PER_ROUND) {
          const i = next++;
          await variants[name]!(c, tickets[cursor++ % tickets.length]!, i);
        }
      }),
    );
    return PER_ROUND / ((performance.now() - t0) / 1000);
  };
  const load0 = loadavg()[0]!.toFixed(1);
  await rate('raw'); // warm-up
  const ratios: Record<string, number[]> = { send: [], append: [] };
  for (let r = 0; r < ROUNDS; r++) {
    const raw = await rate('raw');
    const send = await rate('send');
    const append = await rate('append');
    ratios.send!.push(send / raw);
    ratios.append!.push(append / raw);
    console.log(`round ${r + 1}: raw INSERT ${raw.toFixed(0)} /s, tf_send_customer_message ${send.toFixed(0)} /s (${(send / raw).toFixed(2)}), tf_append_message ${append.toFixed(0)} /s (${(append / raw).toFixed(2)})`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`${CONNECTIONS} connections, ${PER_ROUND} statements a round; load ${load0} → ${loadavg()[0]!.toFixed(1)}`);
  console.log(`median ratio to the raw INSERT: send ${median(ratios.send!).toFixed(2)}, append ${median(ratios.append!).toFixed(2)}`);
  await Promise.all(clients.map((c) => c.end()));
} finally {
  await bench.drop();
}
