import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAME, TEAM_CHANNEL, type ServerFrame } from '../../../contracts/realtime.ts';
import { buildApp } from '../../app.ts';
import { PostgresDb } from '../../db/postgres.ts';
import { createLoggedInAgent, type TestAgent } from '../../test/agent-factories.ts';
import { createTicketViaApi } from '../../test/factories.ts';
import { testConfig } from '../../test/test-app.ts';
import { createTestDb, onPostgres, type TestDb } from '../../test/test-db.ts';
import { TestSocket, realtimeUrl } from '../../test/test-socket.ts';

// Issue 16 on two server instances sharing one PostgreSQL server (only meaningful there): an agent
// connected to one instance is online for the other, and round-robin shares tickets created on both.
let testDb: TestDb;
let dbB: PostgresDb;
let a: FastifyInstance;
let b: FastifyInstance;
let alice: TestAgent & { cookie: string };
let bob: TestAgent & { cookie: string };
const sockets: TestSocket[] = [];

beforeAll(async () => {
  if (!onPostgres) return;
  testDb = await createTestDb();
  dbB = new PostgresDb({ connectionString: testDb.url!, schema: testDb.schema, max: 10 });
  const config = testConfig({ publicUrl: 'http://localhost:3000', autoAssign: 'round_robin' });
  a = await buildApp({ db: testDb.db, config });
  b = await buildApp({ db: dbB, config });
  await a.listen({ port: 0, host: '127.0.0.1' });
  await b.listen({ port: 0, host: '127.0.0.1' });
  alice = await createLoggedInAgent(a, { name: 'Alice' });
  bob = await createLoggedInAgent(a, { name: 'Bob' });
});
afterAll(async () => {
  if (!onPostgres) return;
  for (const s of sockets) s.ws.terminate();
  await a?.close();
  await b?.close();
  await dbB?.close();
  await testDb?.cleanup();
});

async function open(app: FastifyInstance, cookie: string) {
  const s = await TestSocket.open(realtimeUrl(app), { headers: { cookie } });
  sockets.push(s);
  return s;
}
const isAvailability = (agentId: string, availability: string) => (f: ServerFrame) =>
  f.type === FRAME.availability && f.agent_id === agentId && f.availability === availability;

describe.skipIf(!onPostgres)('availability and round-robin over two instances', () => {
  it('shows an agent connected to one instance online on the other, shares tickets created on both, and offline once gone', async () => {
    const watcher = await open(b, bob.cookie);
    await watcher.subscribe(TEAM_CHANNEL);
    const aliceOnA = await open(a, alice.cookie);
    await watcher.waitFor(isAvailability(alice.id, 'online'));

    const created = await Promise.all([a, b, a, b].map((app) => createTicketViaApi(app)));
    const { rows } = await testDb.db.query<{ assignee_id: string }>('SELECT assignee_id FROM support_requests WHERE id = ANY($1::uuid[])', [
      created.map((c) => c.ticket.id),
    ]);
    expect(rows.filter((r) => r.assignee_id === alice.id)).toHaveLength(2);
    expect(rows.filter((r) => r.assignee_id === bob.id)).toHaveLength(2);

    const from = watcher.frames.length;
    await aliceOnA.close();
    await watcher.waitFor(isAvailability(alice.id, 'offline'), 20_000, from);
  });
});
