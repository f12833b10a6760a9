import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { seedFaq } from '../modules/faq/index.ts';
import { hashTicketToken } from '../modules/tickets/index.ts';
import { createLoggedInAgent } from '../test/agent-factories.ts';
import { testConfig } from '../test/test-app.ts';
import { createSchema, onPostgres } from '../test/test-db.ts';
import type { Db } from './index.ts';
import { migrate, readMigrations } from './migrate.ts';
import { PgliteDb } from './pglite.ts';
import { PostgresDb } from './postgres.ts';

const FIRST_RELEASE = 1;

/** An empty database of its own (not the migrated template): in memory, or a new schema on the server. */
async function emptyDb(): Promise<{ db: Db; drop: () => Promise<void> }> {
  if (!onPostgres) {
    const db = await PgliteDb.open();
    return { db, drop: () => db.close() };
  }
  const url = process.env.TEST_DATABASE_URL!;
  const { schema, drop } = await createSchema(url, 'upgrade');
  const db = new PostgresDb({ connectionString: url, schema });
  return {
    db,
    drop: async () => {
      await db.close();
      await drop();
    },
  };
}

// An operator who installed the first release and upgrades to today's: `npm start` migrates the old
// database at start-up (migrate), and everything already in it must be there and usable.
describe('a database of the first release (migration 0001 only) migrated to today', () => {
  let db: Db;
  let drop: () => Promise<void>;
  let app: FastifyInstance;
  const token = `first-release-${randomUUID()}`;
  const legacyAgentId = randomUUID();
  let ticketId: string;

  beforeAll(async () => {
    ({ db, drop } = await emptyDb());
    const all = await readMigrations();
    expect(await migrate(db, all.filter((m) => m.version === FIRST_RELEASE))).toEqual(['0001_init']);

    // Data as the first release wrote it: a ticket and its conversation (with an agent's reply, whose
    // trigger records the first response), an e-mail sent, a FAQ entry, an agent action.
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO support_requests (email, message, status, priority, lang, token_hash, last_message_seq, created_at, updated_at)
       VALUES ('early@example.com', 'Is the kebab halal?', 'pending', 'high', 'en', $1, 3, now() - interval '400 days', now() - interval '400 days')
       RETURNING id`,
      [hashTicketToken(token)],
    );
    ticketId = rows[0]!.id;
    const messages: Array<[string, string, number, string | null]> = [
      ['user', 'Is the kebab halal?', 1, null],
      ['agent', 'Yes, everything we serve is halal.', 2, legacyAgentId],
      ['user', 'Thank you!', 3, null],
    ];
    for (const [author, body, seq, agentId] of messages) {
      await db.query(
        `INSERT INTO support_messages (request_id, author_type, body, client_id, seq, agent_id, created_at)
         VALUES ($1, $2, $3, $4, $5::int, $6, now() - interval '400 days' + $5::int * interval '1 minute')`,
        [ticketId, author, body, randomUUID(), seq, agentId],
      );
    }
    await db.query(
      `INSERT INTO email_queue (request_id, email_type, recipient_email, lang, status, sent_at) VALUES ($1, 'created', 'early@example.com', 'en', 'sent', now())`,
      [ticketId],
    );
    await db.query(`INSERT INTO faq_entries (key, lang, title, answer) VALUES ('halal_legacy', 'en', 'Halal?', 'Everything is halal.')`);
    await db.query(`INSERT INTO agent_actions (ticket_id, agent_id, action, details) VALUES ($1, $2, 'status_changed', '{"to":"pending"}')`, [
      ticketId,
      legacyAgentId,
    ]);

    // The upgrade itself: what `npm start` runs.
    const applied = await migrate(db);
    expect(applied).toEqual(all.filter((m) => m.version > FIRST_RELEASE).map((m) => m.name));
    app = await buildApp({ db, config: testConfig() });
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it('records every migration once, and keeps every row of the first release', async () => {
    const { rows: versions } = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.map((r) => r.version)).toEqual((await readMigrations()).map((m) => m.version));
    const count = async (sql: string) => Number((await db.query<{ n: string }>(sql, [ticketId])).rows[0]!.n);
    expect(await count('SELECT count(*) AS n FROM support_messages WHERE request_id = $1')).toBe(3);
    expect(await count(`SELECT count(*) AS n FROM support_analytics WHERE request_id = $1 AND metric_type = 'agent_response'`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM email_queue WHERE request_id = $1 AND status = 'sent'`)).toBe(1);
    expect(await count('SELECT count(*) AS n FROM agent_actions WHERE ticket_id = $1')).toBe(1);
    const { rows: faq } = await db.query<{ answer: string }>(`SELECT answer FROM faq_entries WHERE key = 'halal_legacy'`);
    expect(faq).toEqual([{ answer: 'Everything is halal.' }]);
  });

  it("lets the customer read the old conversation with the old token, and send a message after it", async () => {
    const auth = { authorization: `Bearer ${token}` };
    const ticket = await app.inject({ url: `/api/tickets/${ticketId}`, headers: auth });
    expect(ticket.statusCode).toBe(200);
    expect(ticket.json().ticket).toMatchObject({ id: ticketId, status: 'pending', priority: 'high', lang: 'en' });
    const page = await app.inject({ url: `/api/tickets/${ticketId}/messages`, headers: auth });
    expect(page.statusCode).toBe(200);
    expect(page.json().messages.map((m: { author_type: string; body: string }) => [m.author_type, m.body])).toEqual([
      ['user', 'Is the kebab halal?'],
      ['agent', 'Yes, everything we serve is halal.'],
      ['user', 'Thank you!'],
    ]);

    const sent = await app.inject({ method: 'POST', url: `/api/tickets/${ticketId}/messages`, headers: auth, payload: { body: 'One more question', clientId: randomUUID() } });
    expect(sent.statusCode).toBe(201);
    const { rows } = await db.query<{ seq: number }>('SELECT seq FROM support_messages WHERE id = $1', [sent.json().message.id]);
    expect(rows).toEqual([{ seq: 4 }]);
  });

  it("lets an agent of today's schema open the old ticket and reply", async () => {
    const agent = await createLoggedInAgent(app as FastifyInstance & { db: Db });
    const view = await app.inject({ url: `/api/agent/tickets/${ticketId}`, headers: { cookie: agent.cookie } });
    expect(view.statusCode).toBe(200);
    expect(view.json().messages.map((m: { body: string }) => m.body).slice(0, 3)).toEqual(['Is the kebab halal?', 'Yes, everything we serve is halal.', 'Thank you!']);
    const reply = await app.inject({
      method: 'POST',
      url: `/api/agent/tickets/${ticketId}/messages`,
      headers: { cookie: agent.cookie, origin: testConfig().publicUrl },
      payload: { body: 'You are welcome.' },
    });
    expect(reply.statusCode).toBe(201);
  });
});

// Migration 0022 (ticket_thread_handoff) records on the ticket's row whether it was opened from a bot
// thread (the bot answers in it while it waits for a person, docs/chatbot.md): tickets handed over
// before it are marked from the thread's link, in the same migration, and the customer's send statement,
// dropped and created again with its new result, works on them.
describe('a database from before the handoff fact, with a ticket handed over from a bot thread, migrated to today', () => {
  let db: Db;
  let drop: () => Promise<void>;
  let app: FastifyInstance;
  const tokens = { handedOver: `handed-over-${randomUUID()}`, contactForm: `contact-form-${randomUUID()}` };
  const ids = { handedOver: '', contactForm: '' };

  beforeAll(async () => {
    ({ db, drop } = await emptyDb());
    const all = await readMigrations();
    const handoffFact = all.find((m) => m.name.endsWith('_ticket_thread_handoff'))!.version;
    await migrate(db, all.filter((m) => m.version < handoffFact));
    for (const kind of ['handedOver', 'contactForm'] as const) {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO support_requests (email, message, lang, token_hash) VALUES ($1, 'A person please', 'en', $2) RETURNING id`,
        [`${kind.toLowerCase()}-${randomUUID()}@example.com`, hashTicketToken(tokens[kind])],
      );
      ids[kind] = rows[0]!.id;
      await db.query(`INSERT INTO support_messages (request_id, author_type, body, seq) VALUES ($1, 'user', 'A person please', 1)`, [ids[kind]]);
      await db.query('UPDATE support_requests SET last_message_seq = 1 WHERE id = $1', [ids[kind]]);
    }
    // The handed-over ticket's thread, and a thread that never became a ticket.
    await db.query(`INSERT INTO bot_threads (token_hash, lang, request_id) VALUES ($1, 'en', $2), ($3, 'en', NULL)`, [
      randomUUID(),
      ids.handedOver,
      randomUUID(),
    ]);

    const applied = await migrate(db);
    expect(applied).toEqual(all.filter((m) => m.version >= handoffFact).map((m) => m.name));
    await seedFaq(db);
    app = await buildApp({ db, config: testConfig() });
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it('marks only the ticket a thread links to as opened from a thread', async () => {
    const { rows } = await db.query<{ id: string; opened_from_thread: boolean }>(
      'SELECT id, opened_from_thread FROM support_requests WHERE id = ANY($1::uuid[]) ORDER BY opened_from_thread DESC',
      [[ids.handedOver, ids.contactForm]],
    );
    expect(rows).toEqual([
      { id: ids.handedOver, opened_from_thread: true },
      { id: ids.contactForm, opened_from_thread: false },
    ]);
  });

  it("answers a FAQ question in the handed-over ticket with the bot, and not in the other, through today's send", async () => {
    for (const kind of ['handedOver', 'contactForm'] as const) {
      const sent = await app.inject({
        method: 'POST',
        url: `/api/tickets/${ids[kind]}/messages`,
        headers: { authorization: `Bearer ${tokens[kind]}` },
        payload: { body: 'Is your meat halal?', clientId: randomUUID() },
      });
      expect(sent.statusCode, kind).toBe(201);
      expect(sent.json().message.seq).toBe(2);
    }
    const authors = async (id: string) =>
      (await db.query<{ author_type: string }>('SELECT author_type FROM support_messages WHERE request_id = $1 ORDER BY seq', [id])).rows.map((r) => r.author_type);
    expect(await authors(ids.handedOver)).toEqual(['user', 'user', 'bot']);
    expect(await authors(ids.contactForm)).toEqual(['user', 'user']);
  });
});
