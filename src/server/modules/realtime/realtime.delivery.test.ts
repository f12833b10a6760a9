import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticketChannel, type ServerFrame } from '../../../contracts/realtime.ts';
import { buildApp } from '../../app.ts';
import type { Db } from '../../db/index.ts';
import { createTicketViaApi } from '../../test/factories.ts';
import { testConfig } from '../../test/test-app.ts';
import { createTestDb, type TestDb } from '../../test/test-db.ts';
import { appendMessage, insertMessage } from '../tickets/index.ts';
import { BUS_EVENTS, BusPublisher, busPublisher, type BusEvent } from '../../events/bus.ts';
import { findBusChannel } from './realtime.repo.ts';
import { TestSocket, realtimeUrl } from '../../test/test-socket.ts';

// Message events leave after COMMIT (publishAfterCommit); these tests prove that a notification that
// never happens, or gets lost, still costs no message to a live subscriber, and that the publisher
// coalesces. Runs on PGlite and, in the postgres project, on the server.

let testDb: TestDb;
/** Its hub sweeps every 100 ms. */
let sweeping: FastifyInstance;
/** Its hub's sweep never runs during a test: only the seq gap detection can fill a gap. */
let notSweeping: FastifyInstance;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  testDb = await createTestDb();
  sweeping = await buildApp({ db: testDb.db, config: testConfig(), realtime: { sweepMs: 100 } });
  notSweeping = await buildApp({ db: testDb.db, config: testConfig(), realtime: { sweepMs: 3_600_000 } });
  await sweeping.listen({ port: 0, host: '127.0.0.1' });
  await notSweeping.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  for (const s of sockets) s.ws.terminate();
  await sweeping?.close();
  await notSweeping?.close();
  await testDb?.cleanup();
});

async function subscribed(app: FastifyInstance) {
  const { ticket, token } = await createTicketViaApi(app);
  const channel = ticketChannel(ticket.id);
  const socket = await TestSocket.open(realtimeUrl(app));
  sockets.push(socket);
  // From the ticket's first message (seq 1): whatever commits later is owed to this socket.
  await socket.subscribe(channel, { token, since: 1 });
  return { ticketId: ticket.id, channel, socket };
}

/** A message committed whose NOTIFY never happens: what a process dying right after COMMIT leaves. */
function commitWithoutNotify(ticketId: string, body: string) {
  return testDb.db.transaction((tx) => insertMessage(tx, { requestId: ticketId, authorType: 'agent', body, clientId: null }));
}

/** A message committed the normal way: its message.created event is published after the commit. */
async function commitAndNotify(ticketId: string, body: string) {
  return (await testDb.db.transaction((tx) => appendMessage(tx, { ticketId, authorType: 'agent', body }))).message;
}

function messages(socket: TestSocket, channel: string) {
  return socket.frames.flatMap((f: ServerFrame) => (f.type === 'message.created' && f.channel === channel ? [f.message] : []));
}

describe('message delivery without its notification', () => {
  it('a message committed but never notified reaches a live subscriber through the safety sweep', async () => {
    const { ticketId, channel, socket } = await subscribed(sweeping);
    const lost = await commitWithoutNotify(ticketId, 'committed, never notified');
    expect(await socket.waitForMessages(channel, 1)).toEqual([lost.seq]);
    expect(messages(socket, channel).map((m) => m.id)).toEqual([lost.id]);

    // And the ticket goes on normally afterwards, without a repeat.
    const next = await commitAndNotify(ticketId, 'notified');
    expect(await socket.waitForMessages(channel, 2)).toEqual([lost.seq, next.seq]);
  });

  it('a lost notification in the middle is backfilled from the table on the next one: in order, no duplicate', async () => {
    const { ticketId, channel, socket } = await subscribed(notSweeping);
    const first = await commitAndNotify(ticketId, 'one');
    await socket.waitForMessages(channel, 1);
    const lost = await commitWithoutNotify(ticketId, 'two, notification lost');
    const third = await commitAndNotify(ticketId, 'three');
    expect(await socket.waitForMessages(channel, 3)).toEqual([first.seq, lost.seq, third.seq]);
    // A later message comes after everything the chain had to send: nothing was sent twice meanwhile.
    const fourth = await commitAndNotify(ticketId, 'four');
    expect(await socket.waitForMessages(channel, 4)).toEqual([first.seq, lost.seq, third.seq, fourth.seq]);
    expect(messages(socket, channel).map((m) => m.id)).toEqual([first.id, lost.id, third.id, fourth.id]);
  });

  it('a rolled-back transaction publishes nothing; a committed one publishes after its commit', async () => {
    const { ticketId, channel, socket } = await subscribed(notSweeping);
    await expect(
      testDb.db.transaction(async (tx) => {
        await appendMessage(tx, { ticketId, authorType: 'agent', body: 'rolled back' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const kept = await commitAndNotify(ticketId, 'kept');
    // The rolled-back seq was never stored: the committed message takes it, and it is the only one sent.
    expect(await socket.waitForMessages(channel, 1)).toEqual([kept.seq]);
    expect(messages(socket, channel).map((m) => m.body)).toEqual(['kept']);
  });
});

describe('a subscription without since', () => {
  it('gets a message committed right after it was confirmed, even while its starting point was being read', async () => {
    // The ticket's latest seq (where a subscription without since starts) read slowly: a message commits
    // meanwhile. Read after the 'subscribed' frame, it counted that message as already seen.
    const slow: Db = Object.create(testDb.db);
    slow.query = async (sql: string, params?: unknown[]) => {
      if (/SELECT last_message_seq FROM support_requests WHERE id = \$1/.test(sql)) await new Promise((r) => setTimeout(r, 300));
      return (await testDb.db.query(sql, params)) as never;
    };
    const app = await buildApp({ db: slow, config: testConfig(), realtime: { sweepMs: 3_600_000 } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { ticket, token } = await createTicketViaApi(app);
      const channel = ticketChannel(ticket.id);
      const socket = await TestSocket.open(realtimeUrl(app));
      sockets.push(socket);
      await socket.subscribe(channel, { token });
      const right = await commitAndNotify(ticket.id, 'right after subscribed');
      expect(await socket.waitForMessages(channel, 1, 5_000)).toEqual([right.seq]);
      // Nothing from before the subscription (it asked for "from now on").
      expect(messages(socket, channel).map((m) => m.body)).toEqual(['right after subscribed']);
    } finally {
      await app.close();
    }
  });
});

/** A Db whose pg_notify statements are recorded, and held on a gate while `hold` is set. */
function countingDb(inner: Db) {
  const notifyBatches: string[][] = [];
  const state: { hold: Promise<void> | null; entered: (() => void) | null } = { hold: null, entered: null };
  const db: Db = Object.create(inner);
  db.query = async (sql: string, params?: unknown[]) => {
    if (/pg_notify/.test(sql)) {
      notifyBatches.push(params?.[0] as string[]);
      state.entered?.();
      if (state.hold) await state.hold;
    }
    return (await inner.query(sql, params)) as never;
  };
  return { db, notifyBatches, state };
}

describe('BusPublisher', () => {
  function messageEvent(i: number): BusEvent {
    return { type: BUS_EVENTS.messageCreated, ticketId: randomUUID(), messageId: randomUUID(), seq: i };
  }

  async function listenAll() {
    const received: BusEvent[] = [];
    const unlisten = await testDb.db.listen(await findBusChannel(testDb.db), (payload) => received.push(JSON.parse(payload) as BusEvent));
    return { received, unlisten };
  }

  it('sends the events queued while a round trip is in flight in one statement, in order', async () => {
    const { db, notifyBatches, state } = countingDb(testDb.db);
    const publisher = new BusPublisher(db);
    const { received, unlisten } = await listenAll();
    const events = Array.from({ length: 6 }, (_, i) => messageEvent(i + 1));
    let release!: () => void;
    state.hold = new Promise((r) => (release = r));
    const entered = new Promise<void>((r) => (state.entered = r));

    publisher.publish(events[0]!);
    await entered; // the first round trip is in flight, held
    state.entered = null;
    for (const e of events.slice(1)) publisher.publish(e);
    release();
    await publisher.flush();

    expect(notifyBatches.map((b) => b.length)).toEqual([1, 5]);
    const ids = new Set(events.map((e) => (e as { messageId: string }).messageId));
    await expect.poll(() => received.filter((e) => ids.has((e as { messageId: string }).messageId)).length).toBe(6);
    expect(received.filter((e) => ids.has((e as { messageId: string }).messageId))).toEqual(events);
    await unlisten();
  });

  it('events published in the same tick leave in one statement; publishing never waits for the database', async () => {
    const { db, notifyBatches, state } = countingDb(testDb.db);
    const publisher = new BusPublisher(db);
    let release!: () => void;
    state.hold = new Promise((r) => (release = r));
    for (let i = 1; i <= 4; i++) publisher.publish(messageEvent(i)); // returns at once, the database held
    release();
    await publisher.flush();
    expect(notifyBatches.map((b) => b.length)).toEqual([4]);
  });

  it('refuses an event above the 8,000-byte NOTIFY limit without blocking the others', async () => {
    const { db, notifyBatches } = countingDb(testDb.db);
    const publisher = new BusPublisher(db);
    publisher.publish({ type: BUS_EVENTS.orderUpdated, orderNumber: 'x'.repeat(9000) });
    publisher.publish(messageEvent(1));
    await publisher.flush();
    expect(notifyBatches.map((b) => b.length)).toEqual([1]);
  });

  it('is one per database in a process', () => {
    expect(busPublisher(testDb.db)).toBe(busPublisher(testDb.db));
  });
});
