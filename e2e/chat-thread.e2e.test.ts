import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendMessage } from '../src/server/modules/tickets/index.ts';
import { createLoggedInAgent } from '../src/server/test/agent-factories.ts';
import { expectAccessible, launchBrowser, type Browser, type Page } from './support/browser.ts';
import { startTestServer, type TestServer } from './support/server.ts';

// One thread from the first question to a person (issue 15), on the embedded database and, when
// TEST_DATABASE_URL is set, on that PostgreSQL server too.
const DATABASES = [{ name: 'embedded database' }, ...(process.env.TEST_DATABASE_URL ? [{ name: 'PostgreSQL server', postgresUrl: process.env.TEST_DATABASE_URL }] : [])];

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Types a question in the thread's composer and sends it. */
async function ask(page: Page, text: string, label: string, submit: string) {
  await page.getByLabel(label).fill(text);
  await page.getByRole('button', { name: submit, exact: true }).click();
}
const botBubbles = (page: Page) => page.locator('.tf-msg[data-author="bot"] .tf-bubble__body');

describe.each(DATABASES)('the chat as one thread in Chromium, on the $name', ({ postgresUrl }) => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ postgresUrl });
  });
  afterAll(async () => {
    await srv?.close();
  });

  /** The ticket the widget opened (its id in the widget's storage) as an agent sees it, messages in order. */
  async function ticketSeenByAgent(page: Page) {
    const { id } = await page.evaluate(() => JSON.parse(localStorage.getItem('tf-ticket') ?? 'null') as { id: string });
    const agent = await createLoggedInAgent(srv.app);
    const seen = await srv.app.inject({ method: 'GET', url: `/api/agent/tickets/${id}`, headers: { cookie: agent.cookie } });
    const messages = (seen.json().messages as Array<{ author_type: string; body: string; seq: number }>).sort((a, b) => a.seq - b.seq);
    return { id, agent, messages };
  }

  it('FR: greeting, FAQ answer with feedback, order tracking, offline, reload, handoff with the exchange, agent reply, rating', async () => {
    const context = await browser.newContext({ locale: 'fr-BE', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${srv.url}/`);
    const composer = ['Votre question', 'Demander'] as const;

    // Small talk gets a reply of its own, and the question leaves the input.
    await ask(page, 'Bonjour', ...composer);
    await botBubbles(page).filter({ hasText: 'assistant de Tasty Food' }).waitFor();
    expect(await page.getByLabel('Votre question').inputValue()).toBe('');

    // An FAQ answer in a bubble, with "did this help?".
    await ask(page, 'Est-ce que votre viande est halal ?', ...composer);
    await botBubbles(page).filter({ hasText: 'HALAL' }).waitFor();
    await page.getByRole('button', { name: 'Oui', exact: true }).click();
    await page.getByText('Merci pour votre avis').waitFor();
    await expect.poll(async () => (await srv.db.query<{ n: number }>('SELECT count(*)::int AS n FROM bot_feedback WHERE helpful')).rows[0]!.n).toBe(1);
    await expectAccessible(page, 'thread');

    // Order tracking in the thread: the number is pre-filled, the e-mail asked, the status card shown.
    await ask(page, 'Où est ma commande TF-1002 ?', ...composer);
    await expect.poll(() => page.getByLabel('Numéro de commande').inputValue()).toBe('TF-1002');
    await page.getByLabel('E-mail utilisé pour la commande').fill('sarah.dupont@example.com');
    await page.getByRole('button', { name: 'Suivre', exact: true }).click();
    await page.getByRole('heading', { name: 'Commande TF-1002' }).waitFor();

    // Offline in the middle: the question waits in the thread and goes when the network is back.
    await context.setOffline(true);
    await ask(page, 'Quels moyens de paiement acceptez-vous ?', ...composer);
    await page.locator('.tf-msg[data-state="pending"]', { hasText: 'moyens de paiement' }).waitFor();
    await context.setOffline(false);
    await page.locator('.tf-msg[data-state="sent"]', { hasText: 'moyens de paiement' }).waitFor();
    await expect.poll(() => botBubbles(page).count()).toBe(4);

    // A reload shows the same thread, kept by the server under the token in the widget's storage.
    await page.reload();
    await page.locator('.tf-msg[data-author="user"]', { hasText: 'moyens de paiement' }).waitFor();
    expect(await page.locator('.tf-msg[data-author="user"]').count()).toBe(4);

    // Handoff in place: only the e-mail is asked; the ticket begins with the whole exchange, in order.
    await page.getByRole('button', { name: 'Parler à quelqu’un de l’équipe' }).first().click();
    expect(await page.getByLabel('Numéro de commande (facultatif)').count()).toBe(0);
    await page.getByLabel('Votre adresse e-mail').fill('thread.journey@example.com');
    await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await page.getByText('Votre conversation').waitFor();
    await page.locator('.tf-msg[data-author="bot"]', { hasText: 'assistant de Tasty Food' }).waitFor();
    const { id, agent, messages } = await ticketSeenByAgent(page);
    const authors = messages.map((m) => m.author_type);
    expect(authors.slice(0, 8)).toEqual(['user', 'bot', 'user', 'bot', 'user', 'bot', 'user', 'bot']);
    expect(authors.at(-1)).toBe('user'); // the opening message: the last question

    // The agent's reply arrives in the same thread.
    await srv.db.transaction((tx) => appendMessage(tx, { ticketId: id, authorType: 'agent', body: 'Oui, nous acceptons Bancontact.' }));
    await page.locator('.tf-msg[data-author="agent"]', { hasText: 'Bancontact' }).waitFor();

    // Resolved: the rating card stands in for the composer; the agent sees the score.
    const patched = await srv.app.inject({
      method: 'PATCH',
      url: `/api/agent/tickets/${id}`,
      headers: { cookie: agent.cookie, origin: srv.url },
      payload: { status: 'resolved' },
    });
    expect(patched.statusCode).toBe(200);
    await page.getByText('Comment évaluez-vous notre aide').waitFor();
    expect(await page.locator('.tf-composer').count()).toBe(0);
    await page.locator('.tf-star').nth(4).click();
    await page.getByRole('button', { name: 'Envoyer mon avis' }).click();
    await page.getByText('Merci pour votre avis').first().waitFor();
    await expect.poll(async () => (await srv.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM support_analytics WHERE request_id = $1 AND metric_type = 'user_satisfaction' AND (metadata ->> 'score')::int = 5`, [id])).rows[0]!.n).toBe(1);
    await context.close();
  });

  // The same journey in the three languages: offline with a reload, the handoff's "when a person usually
  // answers", and the bot answering an FAQ question in the ticket while it waits, seen by the agent.
  const LANGS = [
    {
      locale: 'fr-BE',
      composer: ['Votre question', 'Demander'],
      offline: 'Est-ce que vous livrez à domicile ?',
      person: 'Parler à quelqu’un de l’équipe',
      wait: 'Une personne répond en général en 12\u00a0min environ.',
      email: ['Votre adresse e-mail', 'Envoyer'],
      conversation: 'Votre conversation',
      message: 'Votre message',
      faq: 'Est-ce que votre viande est halal ?',
    },
    {
      locale: 'en-GB',
      composer: ['Your question', 'Ask'],
      offline: 'Do you deliver to my home?',
      person: 'Talk to a person',
      wait: 'A person usually answers in about 12 min.',
      email: ['Your e-mail', 'Send'],
      conversation: 'Your conversation',
      message: 'Your message',
      faq: 'Is your meat halal?',
    },
    {
      locale: 'nl-BE',
      composer: ['Je vraag', 'Vragen'],
      offline: 'Bezorgen jullie aan huis?',
      person: 'Met een medewerker praten',
      wait: 'Meestal antwoordt iemand je binnen ongeveer 12 min.',
      email: ['Je e-mailadres', 'Versturen'],
      conversation: 'Je gesprek',
      message: 'Je bericht',
      faq: 'Is jullie vlees halal?',
    },
  ] as const;

  it.each(LANGS)('$locale: a question asked offline survives a reload; the handoff says when a person usually answers; the bot answers while waiting and the agent sees it', async (l) => {
    // First responses of the last 7 days: 10, 12 and 14 minutes (median 12); an older, slower one does not count.
    await srv.db.query(`DELETE FROM support_analytics WHERE metric_type = 'agent_response'`);
    await srv.db.query(
      `INSERT INTO support_analytics (metric_type, response_time_seconds, created_at)
       VALUES ('agent_response', 600, now()), ('agent_response', 720, now()), ('agent_response', 840, now()),
              ('agent_response', 90000, now() - interval '8 days')`,
    );
    const context = await browser.newContext({ locale: l.locale, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${srv.url}/`);
    const asked = async (text: string) =>
      (await srv.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM bot_turns WHERE author_type = 'user' AND body = $1`, [text])).rows[0]!.n;

    // Offline (once the chat has loaded its texts): the question waits; a reload with the API still
    // unreachable shows it again, waiting.
    await page.getByLabel(l.composer[0]).waitFor();
    await context.setOffline(true);
    await ask(page, l.offline, l.composer[0], l.composer[1]);
    await page.locator('.tf-msg[data-state="pending"]', { hasText: l.offline }).waitFor();
    await page.route('**/api/chat/ask', (route) => route.abort('internetdisconnected'));
    await context.setOffline(false);
    await page.reload();
    await page.locator('.tf-msg[data-state="pending"]', { hasText: l.offline }).waitFor();
    expect(await asked(l.offline)).toBe(0);
    // Back online: asked once, answered in the thread.
    await page.unroute('**/api/chat/ask');
    await context.setOffline(true);
    await context.setOffline(false);
    await page.locator('.tf-msg[data-state="sent"]', { hasText: l.offline }).waitFor();
    await expect.poll(() => botBubbles(page).count()).toBe(1);
    expect(await asked(l.offline)).toBe(1);
    expect(await page.locator('.tf-msg[data-author="user"]', { hasText: l.offline }).count()).toBe(1);

    // Handoff: the line says when a person usually answers (the median, from the database).
    await page.getByRole('button', { name: l.person }).first().click();
    await page.getByText(l.wait).waitFor();
    await expectAccessible(page, `handoff ${l.locale}`);
    await page.getByLabel(l.email[0]).fill(`waiting.${l.locale}@example.com`);
    await page.getByRole('button', { name: l.email[1], exact: true }).click();
    await page.getByText(l.conversation).waitFor();

    // While waiting for a person, an FAQ question in the conversation gets the bot's answer after it.
    await page.getByLabel(l.message).fill(l.faq);
    await page.keyboard.press('Enter');
    await page.locator('.tf-msg[data-author="bot"]', { hasText: 'HALAL' }).waitFor();
    const { messages } = await ticketSeenByAgent(page);
    expect(messages.slice(-2).map((m) => m.author_type)).toEqual(['user', 'bot']);
    expect(messages.at(-2)!.body).toBe(l.faq);
    expect(messages.at(-1)!.body).toContain('HALAL');
    // The thread's exchange came first, the offline question among it, once.
    expect(messages.filter((m) => m.body === l.offline)).toHaveLength(2); // the exchange's question and the opening message
    await context.close();
  });

  it('EN and NL: the greeting and a question answered in the customer’s language', async () => {
    const en = await browser.newContext({ locale: 'en-GB' });
    const enPage = await en.newPage();
    await enPage.goto(`${srv.url}/`);
    await ask(enPage, 'hello', 'Your question', 'Ask');
    await botBubbles(enPage).filter({ hasText: 'I’m the Tasty Food assistant' }).waitFor();
    await en.close();

    const nl = await browser.newContext({ locale: 'nl-BE' });
    const nlPage = await nl.newPage();
    await nlPage.goto(`${srv.url}/`);
    await ask(nlPage, 'Is het vlees halal?', 'Je vraag', 'Vragen');
    await botBubbles(nlPage).filter({ hasText: 'HALAL' }).waitFor();
    await nlPage.getByRole('button', { name: 'Ja', exact: true }).waitFor();
    await nl.close();
  });
});
