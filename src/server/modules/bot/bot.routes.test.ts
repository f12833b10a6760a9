import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLoggedInAgent } from '../../test/agent-factories.ts';
import { createTicketViaApi, sendMessageViaApi, uniqueEmail } from '../../test/factories.ts';
import { useTestApp } from '../../test/test-app.ts';
import { seedFaq } from '../faq/index.ts';
import { getTicketSuggestions } from '../tickets/index.ts';

const ctx = useTestApp();
beforeAll(async () => {
  await seedFaq(ctx.testDb.db);
});

function ask(payload: unknown, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method: 'POST', url: '/api/chat/ask', payload: payload as object, headers });
}

describe('POST /api/chat/ask', () => {
  it('answers an FAQ question in its own language, best answer first, without escalating', async () => {
    const res = await ask({ text: 'Est-ce que votre viande est halal ?' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['answers', 'conversationToken', 'escalate', 'intent', 'lang', 'reply']);
    expect(body).toMatchObject({ lang: 'fr', intent: 'faq', escalate: false });
    expect(body.answers[0]).toMatchObject({ key: 'is_halal', title: expect.any(String), answer: expect.stringContaining('HALAL') });
    expect(body.answers.length).toBeLessThanOrEqual(3);
    const scores = body.answers.map((a: { score: number }) => a.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const s of scores) expect(s).toBeGreaterThan(0);
  });

  it('answers in English and Dutch too', async () => {
    const en = (await ask({ text: 'how much do you charge for delivery?' })).json();
    expect(en).toMatchObject({ lang: 'en', escalate: false });
    expect(en.answers[0].key).toBe('delivery_fees');
    const nl = (await ask({ text: 'tot hoe laat zijn jullie open?' })).json();
    expect(nl).toMatchObject({ lang: 'nl', escalate: false });
    expect(nl.answers[0].key).toBe('opening_hours');
  });

  it('uses the given language over the detected one', async () => {
    const res = (await ask({ text: 'halal?', lang: 'nl' })).json();
    expect(res.lang).toBe('nl');
    expect(res.answers[0]).toMatchObject({ key: 'is_halal', title: 'Is alles HALAL?' });
  });

  it('escalates a problem and a complaint even when an FAQ entry matches', async () => {
    const problem = (await ask({ text: "J'ai été débité deux fois pour ma commande, remboursez-moi" })).json();
    expect(problem).toMatchObject({ intent: 'problem', escalate: true });
    const complaint = (await ask({ text: 'The burger was cold and the staff were rude' })).json();
    expect(complaint).toMatchObject({ intent: 'complaint', escalate: true });
  });

  it('escalates when nothing in the FAQ answers, and offers nothing for meaningless text', async () => {
    const unknown = (await ask({ text: 'qsdfqsdf' })).json();
    expect(unknown).toMatchObject({ intent: 'unknown', answers: [], escalate: true });
  });

  it('does not escalate thanks', async () => {
    const thanks = (await ask({ text: 'Merci beaucoup, c’était délicieux !' })).json();
    expect(thanks).toMatchObject({ intent: 'compliment', answers: [], escalate: false });
  });

  it('refuses bad input with 400 and the error shape', async () => {
    for (const payload of [{}, { text: '' }, { text: '   ' }, { text: 'x'.repeat(1001) }, { text: 'a\u0000b' }, { text: 'hi', lang: 'de' }, { text: 'hi', extra: true }, { text: 42 }]) {
      const res = await ask(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
  });

  it('stores nothing about the question', async () => {
    const count = async () =>
      (await ctx.testDb.db.query<{ n: number }>('SELECT (SELECT count(*) FROM support_requests) + (SELECT count(*) FROM support_analytics) AS n')).rows[0]!.n;
    const before = await count();
    expect((await ask({ text: 'Vous livrez à Uccle ?' })).statusCode).toBe(200);
    expect(await count()).toBe(before);
  });
});

describe('ticket creation', () => {
  it('records the intent of the opening message in the ticket_created analytics row', async () => {
    const { ticket } = await createTicketViaApi(ctx.app, { message: 'Il manque mes frites dans ma commande, pouvez-vous me rembourser ?', lang: 'fr' });
    const { rows } = await ctx.testDb.db.query<{ user_intent: string }>(
      "SELECT user_intent FROM support_analytics WHERE request_id = $1 AND metric_type = 'ticket_created'",
      [ticket.id],
    );
    expect(rows).toEqual([{ user_intent: 'problem' }]);
  });

  it('uses the clearly detected language of the message before Accept-Language', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/tickets',
      headers: { 'accept-language': 'fr-BE' },
      payload: { email: uniqueEmail(), message: 'Mijn bestelling is nog altijd niet aangekomen, kunnen jullie eens kijken?' },
    });
    expect(res.json().ticket.lang).toBe('nl');
  });

  it('keeps the stored preference before the detected language', async () => {
    const email = uniqueEmail();
    await createTicketViaApi(ctx.app, { email, lang: 'fr' });
    const res = await ctx.app.inject({ method: 'POST', url: '/api/tickets', payload: { email, message: 'Where is my order? It has been an hour' } });
    expect(res.json().ticket.lang).toBe('fr');
  });
});

describe('GET /api/agent/tickets/:id/suggestions', () => {
  it('answers 401 without a session', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    const res = await ctx.app.inject({ url: `/api/agent/tickets/${ticket.id}/suggestions` });
    expect(res.statusCode).toBe(401);
  });

  it('answers 404 for an unknown ticket and 400 for a malformed id', async () => {
    const agent = await createLoggedInAgent(ctx.app);
    const unknown = await ctx.app.inject({ url: `/api/agent/tickets/${randomUUID()}/suggestions`, headers: { cookie: agent.cookie } });
    expect(unknown.statusCode).toBe(404);
    const bad = await ctx.app.inject({ url: '/api/agent/tickets/nope/suggestions', headers: { cookie: agent.cookie } });
    expect(bad.statusCode).toBe(400);
  });

  it('suggests FAQ answers for the conversation and canned replies for its intent, in the ticket language', async () => {
    const agent = await createLoggedInAgent(ctx.app);
    const { ticket, token } = await createTicketViaApi(ctx.app, { message: 'Bonjour, vous acceptez quels moyens de paiement ?', lang: 'fr' });
    await sendMessageViaApi(ctx.app, ticket, token, 'Est-ce que je peux payer avec des titres-repas Edenred ?');
    const res = await ctx.app.inject({ url: `/api/agent/tickets/${ticket.id}/suggestions`, headers: { cookie: agent.cookie } });
    expect(res.statusCode).toBe(200);
    const { suggestions } = res.json();
    expect(suggestions[0]).toMatchObject({ kind: 'faq', key: 'payment_methods', body: expect.stringContaining('Bancontact') });
    const canned = suggestions.filter((s: { kind: string }) => s.kind === 'canned');
    expect(canned.length).toBeGreaterThan(0);
    expect(canned[0].key).toMatch(/^faq\./);
    for (const s of suggestions) expect(Object.keys(s).sort()).toEqual(['body', 'key', 'kind', 'score', 'title']);
  });

  it('offers apology replies for a complaint, in Dutch for a Dutch ticket', async () => {
    const { ticket } = await createTicketViaApi(ctx.app, { message: 'Het eten was koud en de frietjes slap, echt teleurgesteld', lang: 'nl' });
    const suggestions = await getTicketSuggestions({ db: ctx.testDb.db, ticketId: ticket.id });
    const canned = suggestions.filter((s) => s.kind === 'canned');
    expect(canned.map((s) => s.key)).toContain('complaint.complaint_apology');
    expect(canned[0]!.body).toMatch(/spijt/);
  });
});
