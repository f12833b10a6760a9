import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, type TestAgent } from '../src/server/test/agent-factories.ts';
import { expectAccessible, launchBrowser, logIn, type Browser } from './support/browser.ts';
import { startTestServer, type TestServer } from './support/server.ts';

// Issue 20: an admin sees what the bot could not answer and teaches it in one click, in the browser.
let srv: TestServer;
let browser: Browser;
let admin: TestAgent;

beforeAll(async () => {
  srv = await startTestServer({ demoData: false });
  browser = await launchBrowser();
  admin = await createAgent(srv.db, { role: 'admin', name: 'Alice Admin' });
});
afterAll(async () => {
  await browser?.close();
  await srv?.close();
});

async function ask(text: string) {
  const res = await fetch(`${srv.url}/api/chat/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text, lang: 'en' }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { intent: string; answers: Array<{ key: string; score: number }> };
}

describe('the learning loop in the dashboard', () => {
  it('lists an unanswered question with its count and teaches it as a new FAQ entry that the bot then answers', { timeout: 300_000 }, async () => {
    for (const text of ['can I rent a bike at your restaurant', 'do you rent bikes to customers']) {
      const res = await ask(text);
      expect(res.answers[0]?.key).not.toBe('bike_rental');
    }
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 900 }, bypassCSP: true });
    try {
      const page = await context.newPage();
      await logIn(page, srv.url, admin);
      await page.getByRole('link', { name: 'Unanswered' }).click();
      await page.getByRole('heading', { name: 'Top unanswered this week' }).waitFor();
      const group = page.getByTestId('unanswered-group').filter({ hasText: 'bike' }).first();
      await group.waitFor();
      await expectAccessible(page, 'the unanswered questions page');
      await group.getByLabel('FAQ entry').selectOption({ label: 'New entry…' });
      await group.getByLabel('Key of the new entry (a-z, 0-9, _)').fill('bike_rental');
      await group.getByLabel('Question', { exact: true }).fill('Can I rent a bike?');
      await group.getByLabel('Answer', { exact: true }).fill('No, but there is a bike stand in front of every restaurant.');
      await group.getByRole('button', { name: 'Teach the chatbot' }).click();
      await page.getByTestId('bot-model-status').filter({ hasText: 'learned model' }).waitFor({ timeout: 240_000 });
      expect(await page.getByTestId('unanswered-group').filter({ hasText: 'bike' }).count()).toBe(0);
    } finally {
      await context.close();
    }
    const after = await ask('could I rent a bike from you?');
    expect(after.answers[0]?.key).toBe('bike_rental');
  });
});
