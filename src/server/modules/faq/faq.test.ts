import { beforeAll, describe, expect, it } from 'vitest';
import { LANGS } from '../../../contracts/common.ts';
import { REQUIRED_FAQ_KEYS } from '../../../contracts/faq.ts';
import { createLoggedInAgent } from '../../test/agent-factories.ts';
import { useTestApp } from '../../test/test-app.ts';
import { watchDb } from '../../test/watch-db.ts';
import { seedFaq } from './faq.service.ts';

const ctx = useTestApp();
beforeAll(async () => {
  await seedFaq(ctx.testDb.db);
});

describe('seedFaq', () => {
  it('fills an empty table once and leaves a filled one alone', async () => {
    const { rows } = await ctx.testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM faq_entries');
    expect(rows[0]!.n).toBeGreaterThanOrEqual(REQUIRED_FAQ_KEYS.length * LANGS.length);
    // A restart: one statement, no transaction, no lock.
    const watched = watchDb(ctx.testDb.db);
    expect(await seedFaq(watched.db)).toBe(0);
    expect(watched.statements).toHaveLength(1);
    expect(watched.transactions()).toBe(0);
  });
});

describe('GET /api/faq', () => {
  it.each(LANGS)('serves every required key in %s, in display order, with non-empty text', async (lang) => {
    const res = await ctx.app.inject({ url: `/api/faq?lang=${lang}` });
    expect(res.statusCode).toBe(200);
    const { entries, version } = res.json();
    expect(typeof version).toBe('string');
    expect(entries.map((e: { key: string }) => e.key)).toEqual(expect.arrayContaining([...REQUIRED_FAQ_KEYS]));
    for (const e of entries) {
      expect(Object.keys(e).sort()).toEqual(['answer', 'key', 'lang', 'title']);
      expect(e.lang).toBe(lang);
      expect(e.title.length).toBeGreaterThan(5);
      expect(e.answer.length).toBeGreaterThan(40);
    }
    expect(entries[0].key).toBe('is_halal');
  });

  it('says the food is halal and certified by AVS in every language', async () => {
    for (const lang of LANGS) {
      const { entries } = (await ctx.app.inject({ url: `/api/faq?lang=${lang}` })).json();
      const byKey = Object.fromEntries(entries.map((e: { key: string; answer: string }) => [e.key, e.answer]));
      expect(byKey.is_halal).toMatch(/HALAL/);
      expect(byKey.certifications).toMatch(/AVS/);
    }
  });

  it('uses Accept-Language without ?lang, and French without either', async () => {
    const nl = await ctx.app.inject({ url: '/api/faq', headers: { 'accept-language': 'nl-BE,nl;q=0.9' } });
    expect(nl.json().entries[0].lang).toBe('nl');
    const none = await ctx.app.inject({ url: '/api/faq' });
    expect(none.json().entries[0].lang).toBe('fr');
  });

  it('answers 400 with the error shape for an unknown language', async () => {
    const res = await ctx.app.inject({ url: '/api/faq?lang=de' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_request');
  });

  it('answers 304 to a matching If-None-Match, so the widget revalidates its cache cheaply', async () => {
    const first = await ctx.app.inject({ url: '/api/faq?lang=en' });
    const etag = first.headers.etag as string;
    expect(etag).toContain(first.json().version);
    const again = await ctx.app.inject({ url: '/api/faq?lang=en', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });
});

describe('admin FAQ editing', () => {
  it('answers 401 without a session, for reading and for writing', async () => {
    expect((await ctx.app.inject({ url: '/api/agent/faq' })).statusCode).toBe(401);
    const put = await ctx.app.inject({ method: 'PUT', url: '/api/agent/faq/is_halal/fr', payload: { title: 'x', answer: 'y' } });
    expect(put.statusCode).toBe(401);
  });

  it('answers 403 to an agent who is not an admin', async () => {
    const agent = await createLoggedInAgent(ctx.app, { role: 'agent' });
    const res = await ctx.app.inject({ url: '/api/agent/faq', headers: { cookie: agent.cookie } });
    expect(res.statusCode).toBe(403);
    const put = await ctx.app.inject({
      method: 'PUT',
      url: '/api/agent/faq/is_halal/fr',
      headers: { cookie: agent.cookie },
      payload: { title: 'x', answer: 'y' },
    });
    expect(put.statusCode).toBe(403);
  });

  it('lets an admin list every entry with its phrasings, edit one, and changes the public version', async () => {
    const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
    const list = await ctx.app.inject({ url: '/api/agent/faq', headers: { cookie: admin.cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.json().entries.length).toBeGreaterThanOrEqual(36);
    expect(list.json().entries[0].phrasings.length).toBeGreaterThan(0);

    const before = (await ctx.app.inject({ url: '/api/faq?lang=en' })).json();
    const put = await ctx.app.inject({
      method: 'PUT',
      url: '/api/agent/faq/delivery_fees/en',
      headers: { cookie: admin.cookie },
      payload: { title: 'How much is delivery?', answer: 'Delivery costs €2.99 and is free from €30.', phrasings: ['shipping cost'] },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().entry).toMatchObject({ key: 'delivery_fees', lang: 'en', title: 'How much is delivery?', phrasings: ['shipping cost'] });

    const after = await ctx.app.inject({ url: '/api/faq?lang=en', headers: { 'if-none-match': `"faq-en-${before.version}"` } });
    expect(after.statusCode).toBe(200);
    expect(after.json().version).not.toBe(before.version);
    expect(after.json().entries.find((e: { key: string }) => e.key === 'delivery_fees').answer).toContain('€2.99');
  });

  it('finds an edited phrasing in the chatbot search straight away', async () => {
    const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
    const current = (await ctx.app.inject({ url: '/api/agent/faq', headers: { cookie: admin.cookie } })).json().entries.find(
      (e: { key: string; lang: string }) => e.key === 'loyalty_program' && e.lang === 'nl',
    );
    await ctx.app.inject({
      method: 'PUT',
      url: '/api/agent/faq/loyalty_program/nl',
      headers: { cookie: admin.cookie },
      payload: { title: current.title, answer: current.answer, phrasings: [...current.phrasings, 'stempelkaart'] },
    });
    const ask = await ctx.app.inject({ method: 'POST', url: '/api/chat/ask', payload: { text: 'hebben jullie een stempelkaart?', lang: 'nl' } });
    expect(ask.json().answers[0].key).toBe('loyalty_program');
  });

  it('refuses an invalid edit with 400 and stores nothing', async () => {
    const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
    for (const payload of [{ title: '', answer: 'x' }, { title: 'x' }, { title: 'x', answer: 'y', extra: 1 }, { title: 'x', answer: 'a\u0000b' }]) {
      const res = await ctx.app.inject({ method: 'PUT', url: '/api/agent/faq/is_halal/en', headers: { cookie: admin.cookie }, payload });
      expect(res.statusCode).toBe(400);
    }
    const bad = await ctx.app.inject({ method: 'PUT', url: '/api/agent/faq/Bad-Key/en', headers: { cookie: admin.cookie }, payload: { title: 'x', answer: 'y' } });
    expect(bad.statusCode).toBe(400);
    const { entries } = (await ctx.app.inject({ url: '/api/faq?lang=en' })).json();
    expect(entries.find((e: { key: string }) => e.key === 'is_halal').title).toBe('Is everything HALAL?');
  });
});
