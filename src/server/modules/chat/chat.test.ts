import { beforeAll, describe, expect, it } from 'vitest';
import { createLoggedInAgent } from '../../test/agent-factories.ts';
import { uniqueEmail } from '../../test/factories.ts';
import { testConfig, useTestApp } from '../../test/test-app.ts';
import { runRetentionOnce } from '../metrics/index.ts';
import { seedFaq } from '../faq/index.ts';
import { findOrderNumber } from './ask-in-thread.ts';
import { purgeBotThreads } from './purge-threads.ts';
import { matchSmallTalk } from './small-talk.ts';

const ctx = useTestApp();
beforeAll(async () => {
  await seedFaq(ctx.testDb.db);
});

function ask(payload: object, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method: 'POST', url: '/api/chat/ask', payload, headers });
}
function thread(token: string | null) {
  return ctx.app.inject({ method: 'GET', url: '/api/chat/thread', headers: token ? { authorization: `Bearer ${token}` } : {} });
}
function feedback(payload: object) {
  return ctx.app.inject({ method: 'POST', url: '/api/chat/feedback', payload });
}

describe('POST /api/chat/ask keeps one thread', () => {
  it('starts a thread on the first ask and adds to it with its token, in order', async () => {
    const first = await ask({ text: 'Est-ce que votre viande est halal ?', lang: 'fr' });
    expect(first.statusCode).toBe(200);
    const token = first.json().conversationToken as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const second = await ask({ text: 'Vous livrez à domicile ?', lang: 'fr', conversationToken: token });
    expect(second.json().conversationToken).toBe(token);
    const res = await thread(token);
    expect(res.statusCode).toBe(200);
    const turns = res.json().turns as Array<{ seq: number; author_type: string; body: string; detail: { answers: Array<{ key: string }> } | null }>;
    expect(turns.map((t) => [t.seq, t.author_type])).toEqual([
      [1, 'user'],
      [2, 'bot'],
      [3, 'user'],
      [4, 'bot'],
    ]);
    expect(turns[0]!.body).toBe('Est-ce que votre viande est halal ?');
    expect(turns[1]!.detail!.answers[0]!.key).toBe('is_halal');
    expect(turns[1]!.body).toContain('HALAL');
    // Only the token's hash is stored.
    const stored = await ctx.testDb.db.query<{ token_hash: string }>('SELECT token_hash FROM bot_threads');
    expect(stored.rows.map((r) => r.token_hash)).not.toContain(token);
  });

  it('starts a new thread when the token is unknown (a thread deleted by retention)', async () => {
    const res = await ask({ text: 'halal?', lang: 'fr', conversationToken: 'x'.repeat(43) });
    expect(res.statusCode).toBe(200);
    expect(res.json().conversationToken).not.toBe('x'.repeat(43));
    expect((await thread('x'.repeat(43))).statusCode).toBe(404);
  });

  it('answers greetings, thanks and small talk with a short reply in the text’s language, not "not found"', async () => {
    const cases: Array<[string, string, string]> = [
      ['Bonjour !', 'fr', 'Bonjour'],
      ['hello', 'en', 'Hi!'],
      ['Hoi', 'nl', 'Hoi!'],
      ['merci beaucoup', 'fr', 'Avec plaisir'],
      ['thanks!', 'en', 'welcome'],
      ['Dank je wel', 'nl', 'Graag gedaan'],
      ['hoe gaat het?', 'nl', 'Heel goed'],
      ['are you a bot?', 'en', 'assistant'],
    ];
    for (const [text, lang, words] of cases) {
      const body = (await ask({ text, lang: 'fr' })).json();
      expect(body, text).toMatchObject({ lang, answers: [], escalate: false });
      expect(body.reply, text).toContain(words);
      expect(['general_inquiry', 'compliment']).toContain(body.intent);
    }
    // A word shared by our languages is answered in the customer's UI language.
    expect((await ask({ text: 'yo', lang: 'nl' })).json()).toMatchObject({ lang: 'nl', reply: expect.stringContaining('Hoi') });
  });

  it('leaves a greeting followed by a question to the model and the FAQ', async () => {
    expect(matchSmallTalk('Bonjour, est-ce halal ?')).toBeNull();
    const body = (await ask({ text: 'Bonjour, est-ce que votre viande est halal ?', lang: 'fr' })).json();
    expect(body.answers[0].key).toBe('is_halal');
    expect(body.reply).toBe(`${body.answers[0].title}\n${body.answers[0].answer}`);
  });

  it('answers in the language the question is written in when sure of it, else the UI language', async () => {
    expect((await ask({ text: 'Is your meat halal, and do you deliver?', lang: 'fr' })).json().lang).toBe('en');
    expect((await ask({ text: 'halal?', lang: 'nl' })).json().lang).toBe('nl');
  });

  it('offers order tracking with the number found in the text', async () => {
    const body = (await ask({ text: 'Where is my order TF-1002? It is late', lang: 'en' })).json();
    expect(body.intent).toBe('order_tracking');
    expect(body.action).toEqual({ type: 'track_order', orderNumber: 'TF-1002' });
    expect(body.escalate).toBe(false);
    expect(body.reply).toBe('I can look up your order: give me its number and the e-mail you ordered with.');
    expect(findOrderNumber('ma commande 10023 n’est pas arrivée')).toBe('10023');
    expect(findOrderNumber('où est ma commande ?')).toBeUndefined();
  });

  it('says it found nothing, in the customer’s language, when nothing answers', async () => {
    const body = (await ask({ text: 'qsdfqsdf', lang: 'nl' })).json();
    expect(body).toMatchObject({ lang: 'nl', answers: [], escalate: true });
    expect(body.reply).toContain('geen antwoord');
  });

  it('refuses bad input with 400 and the error shape', async () => {
    for (const payload of [{ text: 'hi', conversationToken: 'short' }, { text: 'hi', conversationToken: 'a b'.repeat(10) }, { text: 'hi', conversationToken: 42 }]) {
      const res = await ask(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
    expect((await thread(null)).statusCode).toBe(401);
  });
});

describe('POST /api/chat/feedback', () => {
  it('records helpful or not on an answer the thread showed, the last choice counting', async () => {
    const { conversationToken } = (await ask({ text: 'Est-ce que votre viande est halal ?', lang: 'fr' })).json();
    expect((await feedback({ conversationToken, key: 'is_halal', helpful: false })).statusCode).toBe(204);
    expect((await feedback({ conversationToken, key: 'is_halal', helpful: true })).statusCode).toBe(204);
    const rows = await ctx.testDb.db.query<{ helpful: boolean }>(
      `SELECT f.helpful FROM bot_feedback f JOIN bot_threads t ON t.id = f.thread_id WHERE t.token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
      [conversationToken],
    );
    expect(rows.rows).toEqual([{ helpful: true }]);
  });

  it('answers 404 for an answer the thread never showed or an unknown thread, 400 for bad input', async () => {
    const { conversationToken } = (await ask({ text: 'Est-ce que votre viande est halal ?', lang: 'fr' })).json();
    expect((await feedback({ conversationToken, key: 'payment_methods_not_shown', helpful: true })).statusCode).toBe(404);
    expect((await feedback({ conversationToken: 'y'.repeat(43), key: 'is_halal', helpful: true })).statusCode).toBe(404);
    for (const payload of [{}, { conversationToken, key: 'is_halal' }, { conversationToken, key: 'is_halal', helpful: 'yes' }, { conversationToken, key: '', helpful: true }]) {
      const res = await feedback(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
  });
});

describe('POST /api/tickets with conversationToken (handing the thread to a person)', () => {
  it('begins the ticket with the thread’s exchange, in order, before the opening message; the agent sees it', async () => {
    const first = (await ask({ text: 'Bonjour', lang: 'fr' })).json();
    const token = first.conversationToken as string;
    const second = (await ask({ text: 'Est-ce que votre viande est halal ?', lang: 'fr', conversationToken: token })).json();
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/tickets',
      payload: { email: uniqueEmail(), message: 'Je voudrais parler à quelqu’un', lang: 'fr', conversationToken: token },
    });
    expect(res.statusCode).toBe(201);
    const { ticket } = res.json();
    const agent = await createLoggedInAgent(ctx.app);
    const view = await ctx.app.inject({ method: 'GET', url: `/api/agent/tickets/${ticket.id}`, headers: { cookie: agent.cookie } });
    const messages = (view.json().messages as Array<{ author_type: string; body: string; seq: number }>).sort((a, b) => a.seq - b.seq);
    expect(messages.map((m) => [m.author_type, m.body])).toEqual([
      ['user', 'Bonjour'],
      ['bot', first.reply],
      ['user', 'Est-ce que votre viande est halal ?'],
      ['bot', second.reply],
      ['user', 'Je voudrais parler à quelqu’un'],
    ]);
    // The thread now belongs to the ticket: retention leaves it however old it gets.
    await ctx.testDb.db.query(`UPDATE bot_threads SET last_activity_at = now() - interval '400 days' WHERE request_id = $1`, [ticket.id]);
    await purgeBotThreads(ctx.testDb.db, new Date(), 100);
    expect((await thread(token)).statusCode).toBe(200);
  });

  it('opens the ticket with its opening message alone when the token is unknown, and refuses a malformed one', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/tickets',
      payload: { email: uniqueEmail(), message: 'Bonjour', lang: 'fr', conversationToken: 'z'.repeat(43) },
    });
    expect(res.statusCode).toBe(201);
    const { ticket, token } = res.json();
    const list = await ctx.app.inject({ method: 'GET', url: `/api/tickets/${ticket.id}/messages`, headers: { authorization: `Bearer ${token}` } });
    expect(list.json().messages.map((m: { author_type: string }) => m.author_type)).toEqual(['user']);
    const bad = await ctx.app.inject({ method: 'POST', url: '/api/tickets', payload: { email: uniqueEmail(), message: 'x', conversationToken: 'no good!' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_request');
  });
});

describe('deflection on the analytics page', () => {
  it('counts threads, answered questions, 👍/👎, handovers and threads answered without a person', async () => {
    const agent = await createLoggedInAgent(ctx.app);
    const figures = async () =>
      (await ctx.app.inject({ method: 'GET', url: '/api/agent/analytics', headers: { cookie: agent.cookie } })).json().deflection as Record<string, number>;
    const before = await figures();
    const answered = (await ask({ text: 'Est-ce que votre viande est halal ?', lang: 'fr' })).json().conversationToken;
    await feedback({ conversationToken: answered, key: 'is_halal', helpful: true });
    const unanswered = (await ask({ text: 'qsdfqsdf', lang: 'fr' })).json().conversationToken;
    await ctx.app.inject({ method: 'POST', url: '/api/tickets', payload: { email: uniqueEmail(), message: 'Aidez-moi', conversationToken: unanswered } });
    const after = await figures();
    const delta = Object.fromEntries(['threads', 'questions', 'answered', 'helpful', 'notHelpful', 'handedOver', 'deflected'].map((k) => [k, after[k]! - before[k]!]));
    expect(delta).toEqual({ threads: 2, questions: 2, answered: 1, helpful: 1, notHelpful: 0, handedOver: 1, deflected: 1 });
    expect(after.rate).toBeCloseTo(after.deflected! / after.threads!, 3);
  });
});

describe('retention of bot threads', () => {
  it('deletes threads idle past the cut-off that never became a ticket, with their turns and feedback', async () => {
    const db = ctx.testDb.db;
    const old = (await ask({ text: 'Est-ce que votre viande est halal ?', lang: 'fr' })).json().conversationToken;
    await feedback({ conversationToken: old, key: 'is_halal', helpful: true });
    const recent = (await ask({ text: 'hello', lang: 'en' })).json().conversationToken;
    await db.query(
      `UPDATE bot_threads SET last_activity_at = now() - interval '40 days' WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
      [old],
    );
    const deleted = await purgeBotThreads(db, new Date(Date.now() - 30 * 24 * 3600 * 1000), 1);
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect((await thread(old)).statusCode).toBe(404);
    expect((await thread(recent)).statusCode).toBe(200);
    const orphans = await db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM bot_turns WHERE thread_id NOT IN (SELECT id FROM bot_threads))
            + (SELECT count(*) FROM bot_feedback WHERE thread_id NOT IN (SELECT id FROM bot_threads)) AS n`,
    );
    expect(Number(orphans.rows[0]!.n)).toBe(0);
  });

  it('runs in the retention job with BOT_THREADS_RETENTION_DAYS (default 30)', async () => {
    const db = ctx.testDb.db;
    const token = (await ask({ text: 'hello', lang: 'en' })).json().conversationToken;
    const now = new Date(Date.now() + 31 * 24 * 3600 * 1000);
    const result = await runRetentionOnce({ db, clientMetricsDays: 30, errorLogsDays: 90, botThreadsDays: testConfig().botThreadsRetentionDays, now });
    expect(result).toMatchObject({ ran: true, botThreads: expect.any(Number) });
    expect((await thread(token)).statusCode).toBe(404);
  });
});
