import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import type { Db } from '../../db/index.ts';
import { PostgresDb } from '../../db/postgres.ts';
import { busPublisher } from '../../events/bus.ts';
import { createLoggedInAgent } from '../../test/agent-factories.ts';
import { uniqueEmail } from '../../test/factories.ts';
import { testConfig, useTestApp } from '../../test/test-app.ts';
import { onPostgres } from '../../test/test-db.ts';
import { insertAnalyticsEvent } from '../analytics/index.ts';
import { seedFaq } from '../faq/index.ts';
import { sendCustomerMessage } from '../tickets/index.ts';
import { botAnswerClientId } from './answer-while-waiting.ts';
import { insertThread } from './chat.repo.ts';
import { newConversationToken } from './conversation-token.ts';

const ctx = useTestApp();
beforeAll(async () => {
  await seedFaq(ctx.testDb.db);
});

/** The database, counting the statements and transactions that go through it. */
function counting(db: Db): { db: Db; statements: string[]; transactions: () => number } {
  const statements: string[] = [];
  let transactions = 0;
  const wrapped: Db = Object.create(db, {
    query: { value: (sql: string, params?: unknown[]) => (statements.push(sql), db.query(sql, params)) },
    exec: { value: (sql: string) => (statements.push(sql), db.exec(sql)) },
    transaction: { value: (fn: Parameters<Db['transaction']>[0]) => (transactions++, db.transaction(fn)) },
  });
  return { db: wrapped, statements, transactions: () => transactions };
}

type Msg = { id: string; author_type: string; body: string; seq: number };

async function ask(text: string, lang: string, conversationToken?: string, app: FastifyInstance = ctx.app) {
  const res = await app.inject({ method: 'POST', url: '/api/chat/ask', payload: conversationToken ? { text, lang, conversationToken } : { text, lang } });
  expect(res.statusCode).toBe(200);
  return res.json() as { reply: string; conversationToken: string };
}

/** A ticket opened from a bot thread ("talk to a person"), as the widget does. */
async function handOver(lang: string, question: string, app: FastifyInstance = ctx.app) {
  const asked = await ask(question, lang, undefined, app);
  return openTicket({ message: question, lang, conversationToken: asked.conversationToken }, app);
}

/** A ticket opened through the API: from a bot thread with a conversationToken, from the contact form without. */
async function openTicket(payload: { message: string; lang: string; conversationToken?: string }, app: FastifyInstance = ctx.app) {
  const res = await app.inject({ method: 'POST', url: '/api/tickets', payload: { email: uniqueEmail(), ...payload } });
  expect(res.statusCode).toBe(201);
  return res.json() as { ticket: { id: string }; token: string };
}

function send(ticketId: string, token: string, body: string, clientId: string = crypto.randomUUID(), app: FastifyInstance = ctx.app) {
  return app.inject({
    method: 'POST',
    url: `/api/tickets/${ticketId}/messages`,
    headers: { authorization: `Bearer ${token}` },
    payload: { body, clientId },
  });
}

/** The ticket's messages as the agent's dashboard shows them, in order. */
async function agentView(ticketId: string, cookie: string): Promise<Msg[]> {
  const res = await ctx.app.inject({ method: 'GET', url: `/api/agent/tickets/${ticketId}`, headers: { cookie } });
  expect(res.statusCode).toBe(200);
  return (res.json().messages as Msg[]).sort((a, b) => a.seq - b.seq);
}

const handoff = (query = '') => ctx.app.inject({ method: 'GET', url: `/api/chat/handoff${query}` });

describe('GET /api/chat/handoff (when a person usually answers)', () => {
  it('gives the median first response of the last 7 days, computed over the stored responses, while support is open', async () => {
    const db = ctx.testDb.db;
    await db.query(`DELETE FROM support_analytics WHERE metric_type = 'agent_response'`);
    expect((await handoff('?lang=en')).json()).toEqual({ open: true });
    const { ticket } = await handOver('en', 'Is your meat halal?');
    for (const seconds of [60, 300, 600, 7200, 100_000]) {
      await insertAnalyticsEvent(db, { metricType: 'agent_response', requestId: ticket.id, responseTimeSeconds: seconds });
    }
    // The slowest answer is older than 7 days: left out, the median is of 60, 300, 600 and 7200.
    await db.query(
      `UPDATE support_analytics SET created_at = now() - interval '8 days' WHERE metric_type = 'agent_response' AND response_time_seconds = 100000`,
    );
    const res = await handoff('?lang=fr');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ open: true, medianFirstResponseSeconds: 450 });
  });

  it('says when support opens again, in the language asked, while it is closed', async () => {
    const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
    const zone = 'Europe/Brussels';
    const today = DateTime.now().setZone(zone).toISODate()!;
    const hours = [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, open: '11:00', close: '23:00' }));
    const put = await ctx.app.inject({
      method: 'PUT',
      url: '/api/agent/support-hours',
      headers: { cookie: admin.cookie },
      payload: { timezone: zone, hours, exceptions: [{ date: today, closed: true }] },
    });
    expect(put.statusCode).toBe(200);
    try {
      expect((await handoff('?lang=en')).json()).toEqual({ open: false, nextAnswer: 'tomorrow from 11:00' });
      expect((await handoff('?lang=fr')).json().nextAnswer).toMatch(/^demain/);
      const nl = await ctx.app.inject({ method: 'GET', url: '/api/chat/handoff', headers: { 'accept-language': 'nl-BE' } });
      expect(nl.json()).toEqual({ open: false, nextAnswer: 'morgen vanaf 11.00 uur' });
    } finally {
      await ctx.app.inject({ method: 'DELETE', url: '/api/agent/support-hours', headers: { cookie: admin.cookie } });
    }
  });

  it('refuses an unknown language or parameter with 400 and the error shape', async () => {
    for (const query of ['?lang=de', '?lang=en&x=1']) {
      const res = await handoff(query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
  });
});

describe('the bot answers FAQ questions while the ticket waits for a person', () => {
  it.each([
    ['fr', 'Est-ce que vous livrez à domicile ?', 'Est-ce que votre viande est halal ?', 'HALAL'],
    ['en', 'Do you deliver to my home?', 'Is your meat halal?', 'HALAL'],
    ['nl', 'Bezorgen jullie aan huis?', 'Is jullie vlees halal?', 'HALAL'],
  ])('%s: a question after the handoff gets a bot message in the ticket, after it, seen by the agent', async (lang, first, question, words) => {
    const { ticket, token } = await handOver(lang, first);
    const res = await send(ticket.id, token, question);
    expect(res.statusCode).toBe(201);
    const agent = await createLoggedInAgent(ctx.app);
    const messages = await agentView(ticket.id, agent.cookie);
    const mine = messages.findIndex((m) => m.id === res.json().message.id);
    expect(mine).toBeGreaterThan(0);
    const answer = messages[mine + 1]!;
    expect(answer.author_type).toBe('bot');
    // Stored under the clientId derived from the question: a retried send finds it.
    const stored = await ctx.testDb.db.query<{ client_id: string }>('SELECT client_id FROM support_messages WHERE id = $1', [answer.id]);
    expect(stored.rows[0]!.client_id).toBe(botAnswerClientId(res.json().message.id));
    expect(answer.body).toContain(words);
    expect(messages.slice(mine + 2)).toEqual([]);
    // The customer sees it in the same conversation.
    const list = await ctx.app.inject({ method: 'GET', url: `/api/tickets/${ticket.id}/messages`, headers: { authorization: `Bearer ${token}` } });
    expect(list.json().messages.at(-1)).toMatchObject({ author_type: 'bot', body: answer.body });
  });

  it('answers once however often the same message is sent again (clientId)', async () => {
    const { ticket, token } = await handOver('en', 'hello');
    const clientId = crypto.randomUUID();
    expect((await send(ticket.id, token, 'Is your meat halal?', clientId)).statusCode).toBe(201);
    expect((await send(ticket.id, token, 'Is your meat halal?', clientId)).statusCode).toBe(200);
    const agent = await createLoggedInAgent(ctx.app);
    const after = (await agentView(ticket.id, agent.cookie)).filter((m) => m.seq > 2);
    expect(after.map((m) => m.author_type)).toEqual(['user', 'user', 'bot']);
  });

  it('stays silent once an agent has replied or taken the ticket, and for what is not an FAQ answer', async () => {
    const agent = await createLoggedInAgent(ctx.app);
    const { ticket, token } = await handOver('en', 'Do you deliver?');
    // Small talk, a complaint and gibberish get no bot message: only a person answers those.
    for (const text of ['thanks!', 'The burger was cold and the fries were terrible, I am very angry', 'qsdfqsdf']) {
      expect((await send(ticket.id, token, text)).statusCode).toBe(201);
    }
    let messages = await agentView(ticket.id, agent.cookie);
    expect(messages.at(-1)).toMatchObject({ author_type: 'user', body: 'qsdfqsdf' });
    expect(messages.filter((m) => m.author_type === 'bot' && m.seq > 3)).toEqual([]);

    const reply = await ctx.app.inject({
      method: 'POST',
      url: `/api/agent/tickets/${ticket.id}/messages`,
      headers: { cookie: agent.cookie },
      payload: { body: 'Hello, Sam here. How can I help?' },
    });
    expect(reply.statusCode).toBe(201);
    expect((await send(ticket.id, token, 'Is your meat halal?')).statusCode).toBe(201);
    messages = await agentView(ticket.id, agent.cookie);
    expect(messages.slice(-2).map((m) => [m.author_type, m.body])).toEqual([
      ['agent', 'Hello, Sam here. How can I help?'],
      ['user', 'Is your meat halal?'],
    ]);

    // Assigned to an agent who has not written yet: the agent is on it, the bot leaves it to them.
    const taken = await handOver('en', 'Do you deliver?');
    const assign = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/agent/tickets/${taken.ticket.id}`,
      headers: { cookie: agent.cookie },
      payload: { assignee_id: agent.id },
    });
    expect(assign.statusCode).toBe(200);
    expect((await send(taken.ticket.id, taken.token, 'Is your meat halal?')).statusCode).toBe(201);
    expect((await agentView(taken.ticket.id, agent.cookie)).at(-1)).toMatchObject({ author_type: 'user' });
  });

  it('never answers in a ticket that was not opened from the chat thread, and its send stays one statement at any seq', async () => {
    const { ticket, token } = await openTicket({ message: 'Bonjour', lang: 'fr' });
    expect((await send(ticket.id, token, 'Est-ce que votre viande est halal ?')).statusCode).toBe(201);
    expect((await send(ticket.id, token, 'Vous livrez à domicile ?')).statusCode).toBe(201);
    // The 4th message, a FAQ question: the send's own statement says the ticket is not from a thread, so
    // nothing is looked up (no thread, no cache) and no transaction follows it.
    const counted = counting(ctx.testDb.db);
    const sent = await sendCustomerMessage({ db: counted.db, ticketId: ticket.id, token, body: 'Is your meat halal?', clientId: crypto.randomUUID() });
    await busPublisher(counted.db).flush();
    expect(sent).toMatchObject({ created: true, message: { seq: 4 } });
    expect(counted.statements.filter((sql) => !sql.includes('pg_notify'))).toEqual([expect.stringContaining('tf_send_customer_message')]);
    expect(counted.transactions()).toBe(0);
    const agent = await createLoggedInAgent(ctx.app);
    expect((await agentView(ticket.id, agent.cookie)).map((m) => m.author_type)).toEqual(['user', 'user', 'user', 'user']);
  });

  it("answers in a thread's ticket whatever the question's seq: a handoff with no turn makes the customer's 2nd message seq 2", async () => {
    // A thread holding no turn yet (made here directly: the widget's threads begin with a question and its
    // answer): the ticket starts with its opening message, and the customer's next one is seq 2.
    const thread = newConversationToken();
    await insertThread(ctx.testDb.db, { tokenHash: thread.hash, lang: 'en' });
    const { ticket, token } = await openTicket({ message: 'I would like to talk to someone', lang: 'en', conversationToken: thread.token });
    const res = await send(ticket.id, token, 'Is your meat halal?');
    expect(res.statusCode).toBe(201);
    expect(res.json().message.seq).toBe(2);
    const agent = await createLoggedInAgent(ctx.app);
    const messages = await agentView(ticket.id, agent.cookie);
    expect(messages.map((m) => [m.seq, m.author_type])).toEqual([
      [1, 'user'],
      [2, 'user'],
      [3, 'bot'],
    ]);
    expect(messages[2]!.body).toContain('HALAL');
  });

  it('keeps answering in a ticket whose thread was handed over again to a later ticket', async () => {
    // "Talk to a person" twice from one chat: the thread's link names the latest ticket, and both tickets
    // were opened from it.
    const asked = await ask('Do you deliver?', 'en');
    const first = await openTicket({ message: 'A person please', lang: 'en', conversationToken: asked.conversationToken });
    const second = await openTicket({ message: 'A person please, again', lang: 'en', conversationToken: asked.conversationToken });
    const agent = await createLoggedInAgent(ctx.app);
    for (const { ticket, token } of [first, second]) {
      expect((await send(ticket.id, token, 'Is your meat halal?')).statusCode).toBe(201);
      const last = (await agentView(ticket.id, agent.cookie)).at(-1)!;
      expect(last.author_type, ticket.id).toBe('bot');
      expect(last.body).toContain('HALAL');
    }
  });
});

// Two server instances on one database (on PostgreSQL, each with its own connection pool; the embedded
// database is one process, so there both apps share it): whether the bot answers is read from the
// ticket's row, so the instance that takes the customer's send does not matter.
describe('the bot while waiting, on two server instances', () => {
  let other: FastifyInstance;
  let otherDb: PostgresDb | null = null;

  beforeAll(async () => {
    if (onPostgres) otherDb = new PostgresDb({ connectionString: ctx.testDb.url!, schema: ctx.testDb.schema, max: 4 });
    other = await buildApp({ db: otherDb ?? ctx.testDb.db, config: testConfig() });
    await other.ready();
  });
  afterAll(async () => {
    await other?.close();
    await otherDb?.close();
  });

  it('answers a question sent to either instance in a ticket handed over on the other, once per clientId', async () => {
    const agent = await createLoggedInAgent(ctx.app);
    for (const [opening, sending] of [
      [ctx.app, other],
      [other, ctx.app],
    ] as const) {
      const { ticket, token } = await handOver('en', 'Do you deliver?', opening);
      const clientId = crypto.randomUUID();
      expect((await send(ticket.id, token, 'Is your meat halal?', clientId, sending)).statusCode).toBe(201);
      // The retry lands on the other instance: it finds the question and its answer stored.
      expect((await send(ticket.id, token, 'Is your meat halal?', clientId, opening)).statusCode).toBe(200);
      const after = (await agentView(ticket.id, agent.cookie)).filter((m) => m.seq > 3);
      expect(after.map((m) => m.author_type)).toEqual(['user', 'bot']);
      expect(after[1]!.body).toContain('HALAL');
    }
  });

  it('stays silent on both instances in a ticket not opened from a thread', async () => {
    const agent = await createLoggedInAgent(ctx.app);
    const { ticket, token } = await openTicket({ message: 'Hello', lang: 'en' }, other);
    for (const app of [ctx.app, other, ctx.app, other]) {
      expect((await send(ticket.id, token, 'Is your meat halal?', crypto.randomUUID(), app)).statusCode).toBe(201);
    }
    expect((await agentView(ticket.id, agent.cookie)).map((m) => m.author_type)).toEqual(['user', 'user', 'user', 'user', 'user']);
  });
});
