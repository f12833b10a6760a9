import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticketChannel } from '../../../contracts/realtime.ts';
import { buildApp } from '../../app.ts';
import { PostgresDb } from '../../db/postgres.ts';
import { createTicketViaApi, sendMessageViaApi } from '../../test/factories.ts';
import { testConfig } from '../../test/test-app.ts';
import { createTestDb, onPostgres, type TestDb } from '../../test/test-db.ts';
import type { SessionAgent } from '../agents/index.ts';
import { appendMessage } from '../tickets/index.ts';
import { BUS_EVENTS, publishEvent } from '../../events/bus.ts';
import { TestSocket, realtimeUrl } from '../../test/test-socket.ts';

// Several server instances on one PostgreSQL server: only meaningful there (PGlite is one process).
const AGENT: SessionAgent = { id: randomUUID(), email: 'carol@tasty.example', name: 'Carol', role: 'agent' };
const realtime = { resolveAgent: async (_db: unknown, cookie: string | undefined) => (cookie === 'sid=carol' ? AGENT : null) };

let testDb: TestDb;
let dbB: PostgresDb;
let a: FastifyInstance;
let b: FastifyInstance;
const sockets: TestSocket[] = [];
// The listener connection of instance B is found (and killed) by this application_name.
const appNameB = `tf-rt-test-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  if (!onPostgres) return;
  testDb = await createTestDb();
  dbB = new PostgresDb({ connectionString: testDb.url!, schema: testDb.schema, applicationName: appNameB, max: 10 });
  a = await buildApp({ db: testDb.db, config: testConfig(), realtime });
  b = await buildApp({ db: dbB, config: testConfig(), realtime });
  await a.listen({ port: 0, host: '127.0.0.1' });
  await b.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  if (!onPostgres) return;
  for (const s of sockets) s.ws.terminate();
  await a?.close();
  await b?.close();
  await dbB?.close();
  await testDb?.cleanup();
});

async function connect(app: FastifyInstance, cookie?: string) {
  const s = await TestSocket.open(realtimeUrl(app), cookie ? { headers: { cookie } } : {});
  sockets.push(s);
  return s;
}

describe.skipIf(!onPostgres)('realtime across server instances', () => {
  it('delivers to instance B a message written through instance A, and the reverse', async () => {
    const { ticket, token } = await createTicketViaApi(a);
    const channel = ticketChannel(ticket.id);
    const onA = await connect(a);
    const onB = await connect(b);
    await onA.subscribe(channel, { token });
    await onB.subscribe(channel, { token });
    expect((await sendMessageViaApi(a, ticket, token, 'via A')).statusCode).toBe(201);
    expect((await sendMessageViaApi(b, ticket, token, 'via B')).statusCode).toBe(201);
    expect(await onA.waitForMessages(channel, 2)).toEqual([2, 3]);
    expect(await onB.waitForMessages(channel, 2)).toEqual([2, 3]);
  });

  it('relays typing and counts presence across instances', async () => {
    const { ticket, token } = await createTicketViaApi(a);
    const channel = ticketChannel(ticket.id);
    const customerOnB = await connect(b);
    await customerOnB.subscribe(channel, { token });
    const agentOnA = await connect(a, 'sid=carol');
    await agentOnA.subscribe(channel);
    await customerOnB.waitFor((f) => f.type === 'presence' && f.agents === 1);
    customerOnB.send({ type: 'typing', channel, typing: true });
    await agentOnA.waitFor((f) => f.type === 'typing' && f.author_type === 'user' && f.typing);
    agentOnA.send({ type: 'typing', channel, typing: true });
    await customerOnB.waitFor((f) => f.type === 'typing' && f.author_type === 'agent' && f.typing);
    const from = customerOnB.frames.length;
    await agentOnA.close();
    await customerOnB.waitFor((f) => f.type === 'presence' && f.agents === 0, 10_000, from);
  });

  it('recovers its listener after pg_terminate_backend and backfills what was committed meanwhile', async () => {
    const { ticket, token } = await createTicketViaApi(a);
    const channel = ticketChannel(ticket.id);
    const customer = await connect(b);
    const queue = await connect(b, 'sid=carol');
    await customer.subscribe(channel, { token, since: 0 });
    await queue.subscribe('queue');
    expect(await customer.waitForMessages(channel, 1)).toEqual([1]);

    // Kill B's listener and, in the same transaction (committed while it is gone), write two messages
    // and a status change: their NOTIFYs never reach B, which must read them back after reconnecting.
    const killed = await testDb.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ ok: boolean }>(
        `SELECT pg_terminate_backend(pid, 5000) AS ok FROM pg_stat_activity
          WHERE application_name = $1 AND query ILIKE 'LISTEN%'`,
        [`${appNameB}:listen`],
      );
      await appendMessage(tx, { ticketId: ticket.id, authorType: 'agent', body: 'during outage 1' });
      await appendMessage(tx, { ticketId: ticket.id, authorType: 'agent', body: 'during outage 2' });
      await tx.query(`UPDATE support_requests SET priority = 'urgent', updated_at = now() WHERE id = $1`, [ticket.id]);
      await publishEvent(tx, { type: BUS_EVENTS.ticketUpdated, ticketId: ticket.id });
      return rows;
    });
    expect(killed).toEqual([{ ok: true }]);

    expect(await customer.waitForMessages(channel, 3, 20_000)).toEqual([1, 2, 3]);
    await queue.waitFor((f) => f.type === 'ticket.updated' && f.ticket.id === ticket.id && f.ticket.priority === 'urgent', 20_000);

    // And it listens again: a live message still arrives, exactly once.
    expect((await sendMessageViaApi(a, ticket, token, 'after')).statusCode).toBe(201);
    expect(await customer.waitForMessages(channel, 4)).toEqual([1, 2, 3, 4]);
  });
});
