import Fastify from 'fastify';
import pg from 'pg';

// The load test's baseline: a bare Fastify server with the same route as the real one,
// POST /api/tickets/:id/messages, doing nothing but the one statement that stores a message (next seq
// and the row, as bench/api.bench.ts's raw INSERT) on the same PostgreSQL server. No token check, no
// idempotency, no limits, no realtime: what this machine gives for one INSERT per HTTP request.
// Prints its port on the first line of stdout; SIGTERM stops it.
const pool = new pg.Pool({
  connectionString: process.env.BENCH_DATABASE_URL!,
  options: `-c search_path=${process.env.BENCH_SCHEMA!}`,
  max: 20,
});
const app = Fastify({ logger: false });
app.post<{ Params: { id: string }; Body: { body: string; clientId: string } }>('/api/tickets/:id/messages', async (request, reply) => {
  const { rows } = await pool.query(
    `WITH n AS (UPDATE support_requests SET last_message_seq = last_message_seq + 1, updated_at = now()
                 WHERE id = $1 RETURNING last_message_seq)
     INSERT INTO support_messages (request_id, author_type, body, client_id, seq)
     SELECT $1, 'user', $2, $3, last_message_seq FROM n
     RETURNING id, request_id, author_type, body, client_id, seq, created_at`,
    [request.params.id, request.body.body, request.body.clientId],
  );
  return reply.status(201).send({ message: rows[0] });
});
app.get('/healthz', async () => {
  await pool.query('SELECT 1');
  return { status: 'ok' };
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
process.on('SIGTERM', async () => {
  await app.close();
  await pool.end();
  process.exit(0);
});
