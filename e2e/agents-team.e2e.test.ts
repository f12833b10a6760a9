import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, type TestAgent } from '../src/server/test/agent-factories.ts';
import { expectAccessible, launchBrowser, logIn, type Browser, type BrowserContext, type Page } from './support/browser.ts';
import { startTestServer, type TestServer } from './support/server.ts';

// Issue 16, the agents' workspace for a team, in Chromium: two agents in two browser contexts on one
// server (started once for the file). The admin assigns a ticket to the other agent from the picker,
// the other sees it and the admin's note live; the admin writes a canned reply on its admin page, the
// agent inserts it with its placeholders filled in; the agent merges the customer's two tickets from
// the customer panel, and the customer's widget on the merged ticket follows to the kept conversation,
// live and once reloaded with the merged ticket's id and token.

let srv: TestServer;
let browser: Browser;
let admin: TestAgent;
let agent: TestAgent;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  srv = await startTestServer({ demoData: false });
  browser = await launchBrowser();
  admin = await createAgent(srv.db, { role: 'admin', name: 'Alice Admin' });
  agent = await createAgent(srv.db, { role: 'agent', name: 'Bob Agent' });
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await srv?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US' });
  contexts.push(context);
  return context.newPage();
}

async function openTicket(email: string, message: string, orderNumber?: string) {
  const res = await fetch(`${srv.url}/api/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, message, lang: 'en', ...(orderNumber ? { orderNumber } : {}) }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { ticket: { id: string }; token: string };
}

// One journey in steps (each its own test, in order, sharing the two agents' pages).
describe('two agents on one team', () => {
  const email = `team.${Date.now().toString(36)}@example.com`;
  let first: { ticket: { id: string }; token: string };
  let second: { ticket: { id: string }; token: string };
  let alice: Page;
  let bob: Page;

  it('the admin assigns the ticket to the other agent from the picker; his open page shows it', async () => {
    first = await openTicket(email, 'First ticket: my order TF-7001 is late', 'TF-7001');
    second = await openTicket(email, 'Second ticket: and the fries were missing');
    await fetch(`${srv.url}/api/tickets/${second.ticket.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${second.token}` },
      body: JSON.stringify({ body: 'Also no ketchup', clientId: randomUUID() }),
    });

    alice = await newPage();
    bob = await newPage();
    await Promise.all([logIn(alice, srv.url, admin), logIn(bob, srv.url, agent)]);
    await Promise.all([alice.goto(`${srv.url}/agent/tickets/${first.ticket.id}`), bob.goto(`${srv.url}/agent/tickets/${first.ticket.id}`)]);
    const aliceControls = alice.getByRole('region', { name: 'Manage ticket' });
    const bobControls = bob.getByRole('region', { name: 'Manage ticket' });
    await bobControls.getByText('Nobody yet').waitFor();

    // Assignment to the other agent, from the picker; Bob's open page shows it is his.
    await aliceControls.getByLabel('Assign to').selectOption(agent.id);
    await aliceControls.getByText('Assignment updated.').waitFor();
    await bobControls.locator('.assignee', { hasText: 'You' }).waitFor();
    await bob.locator('[data-timeline="assignment"]', { hasText: 'Alice Admin assigned the ticket to Bob Agent' }).waitFor();
  }, 180_000); // two sign-ins and two first page loads: slow on a busy machine, so this step has more room

  it("the admin's note reaches the other agent's page live; axe on the ticket page with the customer panel", async () => {
    const aliceControls = alice.getByRole('region', { name: 'Manage ticket' });

    // A note from Alice reaches Bob's page live.
    const note = `Call the restaurant first (${randomUUID().slice(0, 6)})`;
    await aliceControls.getByLabel('Internal note').fill(note);
    await aliceControls.getByRole('button', { name: 'Save note' }).click();
    await bob.locator('[data-timeline="note"]', { hasText: note }).waitFor();

    // The customer panel lists the other ticket; axe on the ticket page with it.
    const bobCustomer = bob.getByRole('region', { name: 'The customer' });
    await bobCustomer.getByRole('link', { name: /Second ticket/ }).waitFor();
    await expectAccessible(bob, 'the ticket page with the customer panel and the assignment picker');
  });

  it('the admin writes a canned reply on its page; the agent inserts it with the placeholders filled in', async () => {

    // Alice writes a canned reply on its admin page (English tab: the page's language).
    await alice.goto(`${srv.url}/agent/admin/canned-replies`);
    await alice.getByRole('heading', { name: 'Canned replies', level: 1 }).waitFor();
    await alice.getByLabel('Shortcut').fill('late');
    await alice.getByLabel('Title').fill('Late order');
    await alice.getByLabel('Text').fill('Hello {{customer.email}}, order {{order.number}} is on its way. {{agent.name}}');
    await alice.getByRole('button', { name: 'Add' }).click();
    await alice.getByText('Canned reply added.').waitFor();
    await alice.getByRole('heading', { name: '/late Late order' }).waitFor();
    await expectAccessible(alice, 'the canned replies admin page');

    // Bob inserts it with /late: the placeholders are filled in, and the customer gets the text.
    const replyBox = bob.getByLabel('Your reply');
    await replyBox.fill('/late');
    await bob.getByRole('option', { name: /Late order/ }).click();
    await expect.poll(() => replyBox.inputValue()).toBe(`Hello ${email}, order TF-7001 is on its way. Bob Agent`);
    await bob.getByRole('button', { name: 'Send', exact: true }).click();
    await bob.locator('.message-agent', { hasText: 'is on its way. Bob Agent' }).waitFor();
  });

  it("the agent merges the customer's two tickets; the widget on the merged one follows to the kept conversation, also once reloaded", async () => {
    const bobCustomer = bob.getByRole('region', { name: 'The customer' });

    // The customer's widget holds the second ticket.
    const customer = await newPage();
    await customer.addInitScript((session) => localStorage.setItem('tf-ticket', JSON.stringify(session)), {
      id: second.ticket.id,
      token: second.token,
    });
    await customer.goto(`${srv.url}/`);
    await customer.locator('.tf-msg', { hasText: 'Also no ketchup' }).waitFor();

    // Bob merges the second ticket into this one from the customer panel, after confirming.
    await bobCustomer.getByRole('button', { name: /^Merge here: the ticket of/ }).click();
    await bobCustomer.getByRole('button', { name: 'Confirm the merge' }).click();
    await bobCustomer.getByText('Tickets merged: both conversations are now here.').waitFor();
    const conversation = bob.getByRole('region', { name: 'Conversation' });
    await conversation.locator('.message-user', { hasText: 'Also no ketchup' }).waitFor();
    const bodies = await conversation.locator('.message-body').allTextContents();
    const order = ['First ticket', 'Second ticket', 'Also no ketchup', 'is on its way'].map((text) => bodies.findIndex((b) => b.includes(text)));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    await bob.locator('[data-timeline="merge"]').first().waitFor();

    // The widget follows to the kept conversation with its own token, and keeps it for the next visit.
    await customer.locator('.tf-msg', { hasText: 'is on its way. Bob Agent' }).waitFor();
    await customer.locator('.tf-msg', { hasText: 'First ticket' }).waitFor();
    await expect.poll(() => customer.evaluate(() => JSON.parse(localStorage.getItem('tf-ticket') ?? 'null')?.id)).toBe(first.ticket.id);

    // Reloaded, the widget still shows the kept conversation. The init script stores the merged ticket's
    // id and token again before the page loads, as a widget that was closed during the merge would hold
    // them: that token opens the kept ticket (tf_token_opens_ticket follows merged_into, migration 0018).
    await customer.reload();
    const widgetTexts = customer.locator('.tf-msg');
    await customer.locator('.tf-msg', { hasText: 'is on its way. Bob Agent' }).waitFor();
    await customer.locator('.tf-msg', { hasText: 'First ticket' }).waitFor();
    await customer.locator('.tf-msg', { hasText: 'Also no ketchup' }).waitFor();
    expect((await widgetTexts.allTextContents()).join('\n')).toContain('Second ticket');
    await expect.poll(() => customer.evaluate(() => JSON.parse(localStorage.getItem('tf-ticket') ?? 'null')?.id)).toBe(first.ticket.id);

    // The merged ticket's page says where its conversation went.
    await alice.goto(`${srv.url}/agent/tickets/${second.ticket.id}`);
    await alice.getByRole('link', { name: 'Open the merged conversation' }).waitFor();
    // ...and offers no reply box or controls there (the server refuses them on a merged ticket: 409).
    expect(await alice.locator('.conversation-card textarea').count()).toBe(0);
    expect(await alice.locator('.ticket-side select').count()).toBe(0);
    await alice.getByRole('link', { name: 'Open the merged conversation' }).click();
    await alice.waitForURL(`**/agent/tickets/${first.ticket.id}`);
  });
});
