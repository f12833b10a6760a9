import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, type TestAgent } from '../src/server/test/agent-factories.ts';
import { expectAccessible, launchBrowser, logIn, type Browser, type BrowserContext, type Page } from './support/browser.ts';
import { startTestServer, type TestServer } from './support/server.ts';

// Issue 16 in Chromium, two agents in two browser contexts (one server for the whole file): the alert of
// a new ticket (the tab title's count and a desktop notification, permission granted in the context), an
// @mention reaching the other agent, and the warning that another agent is typing or has just replied.

let srv: TestServer;
let browser: Browser;
let alice: TestAgent;
let bob: TestAgent;
let alicePage: Page;
let bobPage: Page;
const contexts: BrowserContext[] = [];

type Recorded = { title: string; body?: string };

async function agentPage(who: TestAgent): Promise<Page> {
  // bypassCSP lets axe-core in; the notifications permission is what the agent's click would grant.
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 900 }, bypassCSP: true, permissions: ['notifications'] });
  contexts.push(context);
  // Records every desktop notification the page shows (the browser's own still runs).
  await context.addInitScript(() => {
    const Native = window.Notification;
    const shown: Recorded[] = [];
    (window as unknown as { shownNotifications: Recorded[] }).shownNotifications = shown;
    class Recording extends Native {
      constructor(title: string, options?: NotificationOptions) {
        shown.push({ title, body: options?.body });
        super(title, options);
      }
    }
    window.Notification = Recording;
  });
  const page = await context.newPage();
  await logIn(page, srv.url, who);
  return page;
}

const shown = (page: Page) => page.evaluate(() => (window as unknown as { shownNotifications: Recorded[] }).shownNotifications);

async function openTicket(message: string, email: string) {
  const res = await fetch(`${srv.url}/api/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, message, lang: 'en' }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { ticket: { id: string; email: string } };
}

beforeAll(async () => {
  srv = await startTestServer({ demoData: false });
  browser = await launchBrowser();
  alice = await createAgent(srv.db, { name: 'Alice Martin' });
  bob = await createAgent(srv.db, { name: 'Bob Peeters' });
  [alicePage, bobPage] = await Promise.all([agentPage(alice), agentPage(bob)]);
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await srv?.close();
});

describe('agents’ alerts in the dashboard', () => {
  it('shows both agents online, and alerts them of a new ticket by the title count and a desktop notification', async () => {
    // Each sees the other online in the team list.
    await alicePage.locator('.team-list li', { hasText: 'Bob Peeters' }).and(alicePage.locator('[data-availability="online"]')).waitFor();
    await bobPage.locator('.team-list li', { hasText: 'Alice Martin' }).and(bobPage.locator('[data-availability="online"]')).waitFor();
    // Permission already granted: the panel offers the switch (on by default), not the request button.
    await alicePage.getByRole('button', { name: 'Alerts' }).click();
    await expect.poll(() => alicePage.getByLabel('Desktop notifications').isChecked()).toBe(true);
    expect(await alicePage.getByRole('button', { name: 'Turn on desktop notifications' }).count()).toBe(0);

    const { ticket } = await openTicket('My burger never came', 'lina.alerts@example.com');
    for (const page of [alicePage, bobPage]) {
      await expect.poll(() => page.title()).toMatch(/^\(1\) /);
      await expect.poll(() => shown(page)).toContainEqual({ title: 'New ticket from lina.alerts@example.com', body: 'My burger never came' });
    }
    await alicePage.getByRole('link', { name: 'New ticket from lina.alerts@example.com' }).waitFor();
    await expectAccessible(alicePage, 'the queue with the alerts panel open');

    // Opening the ticket reads its alert.
    await bobPage.goto(`${srv.url}/agent/tickets/${ticket.id}`);
    await bobPage.getByRole('heading', { name: /lina\.alerts@example\.com/ }).waitFor();
    await expect.poll(() => bobPage.title()).not.toMatch(/^\(\d+\) /);
  });

  it('brings an @mention in a note to the other agent, live', async () => {
    const { ticket } = await openTicket('Allergens in the falafel?', 'omar.alerts@example.com');
    await alicePage.goto(`${srv.url}/agent/tickets/${ticket.id}`);
    await bobPage.goto(`${srv.url}/agent/`);
    await bobPage.getByRole('button', { name: 'Sign out' }).waitFor();
    const before = (await shown(bobPage)).length;
    await alicePage.locator('.note-form textarea').fill('@Bob Peeters can you check with the kitchen?');
    await alicePage.getByRole('button', { name: 'Save note' }).click();

    await expect.poll(async () => (await shown(bobPage)).slice(before)).toContainEqual({
      title: 'Alice Martin mentioned you in a note',
      body: '@Bob Peeters can you check with the kitchen?',
    });
    await expect.poll(() => bobPage.title()).toMatch(/^\(\d+\) /);
    await bobPage.getByRole('button', { name: 'Alerts' }).click();
    await bobPage.getByRole('link', { name: 'Alice Martin mentioned you in a note' }).click();
    await bobPage.getByText('@Bob Peeters can you check with the kitchen?').first().waitFor();
    // Read on the server too: nothing unread is left for Bob.
    await expect
      .poll(async () => (await srv.db.query('SELECT 1 FROM agent_mentions WHERE agent_id = $1 AND read_at IS NULL', [bob.id])).rows.length)
      .toBe(0);
  });

  it('warns the second agent that the first is typing, then that they just replied', async () => {
    const { ticket } = await openTicket('Wrong sauce in my order', 'zoe.alerts@example.com');
    await Promise.all([alicePage.goto(`${srv.url}/agent/tickets/${ticket.id}`), bobPage.goto(`${srv.url}/agent/tickets/${ticket.id}`)]);
    await Promise.all([alicePage.getByLabel('Your reply').waitFor(), bobPage.getByLabel('Your reply').waitFor()]);
    await alicePage.getByLabel('Your reply').pressSequentially('Sorry about that, ');
    await bobPage.getByRole('status').filter({ hasText: 'Alice Martin is typing a reply on this ticket.' }).waitFor();
    await expectAccessible(bobPage, 'the ticket page with the typing warning');

    await alicePage.getByLabel('Your reply').pressSequentially('a new sauce is on its way.');
    await alicePage.getByRole('button', { name: 'Send' }).click();
    await bobPage.getByRole('status').filter({ hasText: 'Alice Martin just replied: read it before you send yours.' }).waitFor();
    await bobPage.getByText('a new sauce is on its way.').waitFor();
    // The one who replied is not warned about their own reply.
    expect(await alicePage.getByText('just replied').count()).toBe(0);
  });
});
