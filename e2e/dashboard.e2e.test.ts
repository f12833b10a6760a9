import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { appendMessage } from '../src/server/modules/tickets/index.ts';
import { createAgent, type TestAgent } from '../src/server/test/agent-factories.ts';
import { expectAccessible, launchBrowser, logIn, type Browser, type BrowserContext, type Page } from './support/browser.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let srv: TestServer;
let browser: Browser;
let admin: TestAgent;
let agent: TestAgent;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  srv = await startTestServer();
  browser = await launchBrowser();
  admin = await createAgent(srv.db, { role: 'admin', name: 'Alice Admin' });
  agent = await createAgent(srv.db, { role: 'agent', name: 'Bob Agent' });
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await srv?.close();
});

let emailCounter = 0;
const uniqueEmail = (prefix = 'customer') => `${prefix}.${Date.now().toString(36)}.${++emailCounter}@example.com`;

async function newPage(locale = 'en-US'): Promise<Page> {
  // bypassCSP lets axe-core be injected into pages whose CSP allows only their own scripts.
  const context = await browser.newContext({ locale, viewport: { width: 1366, height: 900 }, bypassCSP: true });
  contexts.push(context);
  return context.newPage();
}

async function openTicket(message: string, email = uniqueEmail()) {
  const res = await fetch(`${srv.url}/api/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, message, lang: 'en' }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { ticket: { id: string; email: string }; token: string };
}

/** A customer's WebSocket on their ticket, recording every frame. */
async function customerSocket(ticketId: string, token: string) {
  const frames: Record<string, unknown>[] = [];
  const ws = new WebSocket(`${srv.url.replace('http', 'ws')}/api/realtime`, { headers: { origin: srv.url } });
  ws.on('message', (data) => frames.push(JSON.parse(String(data))));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'subscribe', channel: `ticket:${ticketId}`, token }));
  await waitFor(() => frames.some((f) => f.type === 'subscribed'), 'customer subscription');
  return { ws, frames };
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the agent dashboard in Chromium', () => {
  it('logs in, sees a new ticket appear live in the queue, replies, and the reply reaches the customer’s WebSocket', async () => {
    const page = await newPage();
    await page.goto(`${srv.url}/agent`);
    await page.getByRole('heading', { name: 'Agent sign-in' }).waitFor();
    await expectAccessible(page, 'the login page');

    await logIn(page, srv.url, admin);
    await page.locator('.connection-open').waitFor();
    await page.getByRole('heading', { name: 'Ticket queue' }).waitFor();
    await expectAccessible(page, 'the queue');
    // A reload would lose this marker: the ticket must arrive without one.
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

    const customer = await openTicket('My pizza arrived cold, can I get a refund?');
    const row = page.locator(`tr[data-ticket-id="${customer.ticket.id}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await expect.poll(() => row.getAttribute('class')).toContain('row-live');

    const socket = await customerSocket(customer.ticket.id, customer.token);
    try {
      await row.getByRole('link').click();
      await page.getByRole('heading', { name: `Ticket from ${customer.ticket.email}` }).waitFor();
      await page.locator('.message-user', { hasText: 'My pizza arrived cold' }).waitFor();
      await page.getByText('Only you are viewing this ticket').waitFor();

      socket.ws.send(JSON.stringify({ type: 'typing', channel: `ticket:${customer.ticket.id}`, typing: true }));
      await page.getByText('The customer is typing…').waitFor();
      await expectAccessible(page, 'the ticket page');

      const reply = 'Sorry about that! A refund is on its way.';
      await page.getByLabel('Your reply').fill(reply);
      // The agent's typing reaches the customer too.
      await waitFor(() => socket.frames.some((f) => f.type === 'typing' && f.author_type === 'agent' && f.typing === true), 'agent typing');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await page.locator('.message-agent', { hasText: reply }).waitFor();
      await waitFor(
        () =>
          socket.frames.some(
            (f) => f.type === 'message.created' && (f.message as { author_type: string; body: string }).body === reply,
          ),
        'the reply on the customer’s socket',
      );
      const created = socket.frames.find((f) => f.type === 'message.created' && (f.message as { body: string }).body === reply)!;
      expect((created.message as { author_type: string }).author_type).toBe('agent');
      expect(await page.locator('.message-agent', { hasText: reply }).count()).toBe(1);

      // A customer message arrives live in the agent's conversation.
      await fetch(`${srv.url}/api/tickets/${customer.ticket.id}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${customer.token}` },
        body: JSON.stringify({ body: 'Thank you very much!', clientId: randomUUID() }),
      });
      await page.locator('.message-user', { hasText: 'Thank you very much!' }).waitFor();
    } finally {
      socket.ws.close();
    }
  });

  it('answers a customer who wrote through the chat widget; the reply appears in their widget', async () => {
    const agentPage = await newPage();
    await logIn(agentPage, srv.url, agent);
    await agentPage.locator('.connection-open').waitFor();

    const customerPage = await newPage();
    const email = uniqueEmail('widget.customer');
    await customerPage.goto(`${srv.url}/`);
    await customerPage.getByRole('button', { name: 'Open the help menu' }).click();
    await customerPage.getByRole('button', { name: /Contact support/ }).click();
    await customerPage.getByLabel('Your e-mail').fill(email);
    await customerPage.getByLabel('Your message').fill('Hello, is the kebab halal?');
    await customerPage.getByRole('button', { name: 'Send', exact: true }).click();
    await customerPage.getByText('Your conversation').waitFor();

    const row = agentPage.locator('tr', { hasText: email });
    await row.waitFor();
    await row.getByRole('link').click();
    const reply = 'Yes, all our meat is 100% halal, certified by AVS.';
    await agentPage.getByLabel('Your reply').fill(reply);
    await agentPage.getByRole('button', { name: 'Send', exact: true }).click();
    await agentPage.locator('.message-agent', { hasText: reply }).waitFor();
    await customerPage.locator('.tf-msg', { hasText: reply }).waitFor();
  });

  it('changes status and priority, which the filtered queue then shows', async () => {
    const page = await newPage();
    await logIn(page, srv.url, agent);
    const { ticket } = await openTicket('Where is my order TF-4242?');
    await page.goto(`${srv.url}/agent/tickets/${ticket.id}`);
    const controls = page.getByRole('region', { name: 'Manage ticket' });
    await controls.getByLabel('Status', { exact: true }).selectOption('pending');
    await page.getByText('Status updated.').waitFor();
    await controls.getByLabel('Priority', { exact: true }).selectOption('urgent');
    await page.getByText('Priority updated.').waitFor();
    await page.locator('.header-meta .badge-priority-urgent').waitFor();

    const { rows } = await srv.db.query<{ status: string; priority: string }>('SELECT status, priority FROM support_requests WHERE id = $1', [ticket.id]);
    expect(rows[0]).toEqual({ status: 'pending', priority: 'urgent' });
    const audit = await srv.db.query<{ n: number }>('SELECT count(*)::int AS n FROM agent_actions WHERE ticket_id = $1', [ticket.id]);
    expect(audit.rows[0]!.n).toBeGreaterThanOrEqual(2);

    await page.getByRole('link', { name: /Back to the queue/ }).click();
    await page.getByLabel('Status', { exact: true }).selectOption('pending');
    await page.getByLabel('Priority', { exact: true }).selectOption('urgent');
    await page.locator(`tr[data-ticket-id="${ticket.id}"]`).waitFor();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
  });

  it('searches the queue by e-mail and message text', async () => {
    const page = await newPage();
    await logIn(page, srv.url, agent);
    const needle = `zanzibar${Date.now().toString(36)}`;
    const wanted = await openTicket(`Do you deliver to ${needle}?`);
    await openTicket('Another question about allergens');
    await page.getByLabel('Status', { exact: true }).selectOption('all');
    await page.getByLabel('Search').fill(needle);
    await page.waitForURL(/q=/);
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await page.locator(`tr[data-ticket-id="${wanted.ticket.id}"]`).waitFor();
  });

  it('loads older messages when the agent scrolls up the conversation', async () => {
    const { ticket, token } = await openTicket('Message 0: the very first one');
    // 60 more messages: more than the first page the ticket page loads.
    await srv.db.transaction(async (tx) => {
      for (let i = 1; i <= 60; i++) await appendMessage(tx, { ticketId: ticket.id, authorType: 'user', body: `Message ${i}` });
    });
    expect(token).toBeTruthy();
    const page = await newPage();
    await logIn(page, srv.url, agent);
    await page.goto(`${srv.url}/agent/tickets/${ticket.id}`);
    await page.locator('.message', { hasText: 'Message 60' }).waitFor();
    expect(await page.locator('.message', { hasText: 'Message 0: the very first one' }).count()).toBe(0);
    await page.locator('.conversation').evaluate((el) => (el.scrollTop = 0));
    await page.locator('.message', { hasText: 'Message 0: the very first one' }).waitFor();
    expect(await page.locator('.message').count()).toBe(61);
  });

  it('shows the analytics charts, each with a text alternative and a data table', async () => {
    const page = await newPage();
    await logIn(page, srv.url, agent);
    await page.getByRole('link', { name: 'Analytics' }).click();
    await page.getByRole('heading', { name: 'Analytics', level: 1 }).waitFor();
    const charts = page.locator('.chart [role="img"]');
    // tickets per day, messages per day, priorities, statuses, intents, CSAT
    await expect.poll(() => charts.count()).toBe(6);
    for (const label of await charts.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))) {
      expect(label.length).toBeGreaterThan(10);
    }
    expect(await page.locator('.chart svg rect.chart-bar').count()).toBeGreaterThan(0);
    await page.getByText('Show the data').first().click();
    await page.locator('.chart-data table').first().waitFor();
    await page.getByRole('button', { name: '7 days' }).click();
    await expect.poll(() => page.locator('.chart').first().locator('rect.chart-bar').count()).toBe(7);
    await expect.poll(() => page.locator('.chart').nth(1).locator('rect.chart-bar').count()).toBe(7);
    await expectAccessible(page, 'the analytics page');
  });

  it('lets an admin invite an agent, change a role, disable an account and edit the FAQ', async () => {
    const page = await newPage();
    await logIn(page, srv.url, admin);
    await page.getByRole('link', { name: 'Agents' }).click();
    await page.getByRole('heading', { name: 'Agent management' }).waitFor();
    const invited = uniqueEmail('new.agent');
    await page.getByLabel('Name').fill('Nina New');
    await page.getByLabel('E-mail', { exact: true }).fill(invited);
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await page.getByText(`${invited} has been invited.`).waitFor();
    expect((await page.locator('code.secret').textContent())?.length).toBeGreaterThanOrEqual(10);
    const row = page.locator(`tr[data-agent-email="${invited}"]`);
    await row.getByLabel('Role of Nina New').selectOption('admin');
    await expect.poll(async () => (await srv.db.query<{ role: string }>('SELECT role FROM agents WHERE email = $1', [invited])).rows[0]?.role).toBe('admin');
    await row.getByRole('button', { name: /Disable/ }).click();
    await row.getByText('Disabled').waitFor();
    await expectAccessible(page, 'the agents page');

    await page.getByRole('link', { name: 'FAQ' }).click();
    await page.getByRole('button', { name: 'English' }).click();
    const entry = page.locator('form.faq-entry', { hasText: 'opening_hours' });
    const title = `When are you open? (${Date.now().toString(36)})`;
    await entry.getByLabel('Question', { exact: true }).fill(title);
    await entry.getByRole('button', { name: 'Save' }).click();
    await entry.getByText('Saved.').waitFor();
    const faq = (await (await fetch(`${srv.url}/api/faq?lang=en`)).json()) as { entries: { key: string; title: string }[] };
    expect(faq.entries.find((e) => e.key === 'opening_hours')?.title).toBe(title);
    await expectAccessible(page, 'the FAQ editor');
  });

  it('refuses the debug page and admin pages to an agent who is not an admin', async () => {
    const page = await newPage();
    const anonymous = await page.goto(`${srv.url}/debug`);
    expect(new URL(anonymous!.url()).pathname).toBe('/agent');
    await logIn(page, srv.url, agent);
    expect(await page.getByRole('link', { name: 'Agents' }).count()).toBe(0);
    const debug = await page.goto(`${srv.url}/debug`);
    expect(debug!.status()).toBe(403);
    await page.getByRole('heading', { name: 'Access denied' }).waitFor();
    await page.goto(`${srv.url}/agent/admin/agents`);
    await page.getByText('This page is for administrators only.').waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/admin/agents')).status);
    expect(status).toBe(403);
  });

  it('gives an admin the debug page: chat modes, database inspector, event log and e-mail queue', async () => {
    const page = await newPage();
    await page.goto(`${srv.url}/debug`);
    await page.waitForURL(/\/agent\?next=%2Fdebug$/);
    await page.getByLabel('E-mail address').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${srv.url}/debug`);
    await page.getByRole('heading', { name: 'Database: recent tickets' }).waitFor();
    await page.locator('.connection-pill.connection-open').waitFor();

    const { ticket } = await openTicket('Debug page test ticket');
    // The inspector refreshes every 2 s; the event log shows the queue frame.
    await page.locator('[data-testid="inspector-table"] td', { hasText: ticket.id.slice(0, 8) }).waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="event-log"] .event-type', { hasText: 'ticket.created' }).first().waitFor();

    await page.getByRole('button', { name: 'faq', exact: true }).click();
    const frame = page.frameLocator('iframe.widget-frame');
    await frame.locator('body').waitFor();
    expect(await page.locator('iframe.widget-frame').getAttribute('src')).toBe('/?mode=faq');

    await page.getByRole('heading', { name: 'Outgoing e-mail queue' }).waitFor();
    await page.getByRole('heading', { name: 'Client performance' }).waitFor();
    await expectAccessible(page, 'the debug page');
  });

  it('gives an admin the Privacy page: the export downloads the document, the erasure waits for the confirmation', async () => {
    const email = uniqueEmail('privacy');
    const { ticket } = await openTicket('Privacy page journey: my order came cold', email);
    const page = await newPage();
    await logIn(page, srv.url, admin);
    await page.getByRole('link', { name: 'Privacy', exact: true }).click();
    await page.getByRole('heading', { name: 'Privacy', level: 1 }).waitFor();

    await page.getByLabel('Address of the customer who asks').fill(email);
    await page.getByLabel("With the agents' internal notes").check();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export (JSON)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^privacy-export-\d{4}-\d{2}-\d{2}\.json$/);
    const document_ = JSON.parse(await readFile((await download.path())!, 'utf8')) as { email: string; tickets: { id: string; notes?: unknown[] }[] };
    expect(document_.email).toBe(email);
    expect(document_.tickets.map((t) => t.id)).toEqual([ticket.id]);
    expect(document_.tickets[0]!.notes).toEqual([]);
    await page.getByText(`Export of ${email} downloaded: 1 ticket.`).waitFor();

    await page.getByRole('button', { name: 'Erase…' }).click();
    const question = page.getByRole('group', { name: `Erase everything kept about ${email}?`, exact: false });
    await question.waitFor();
    await expectAccessible(page, 'the privacy page with the erasure question');
    const before = await srv.db.query<{ email: string }>('SELECT email FROM support_requests WHERE id = $1', [ticket.id]);
    expect(before.rows[0]!.email).toBe(email);
    await question.getByRole('button', { name: 'Erase for good' }).click();
    // An erasure on the embedded database compacts it afterwards: seconds, more on a busy machine.
    await page.getByText(`${email} erased: 1 ticket,`, { exact: false }).waitFor({ timeout: 120_000 });
    const after = await srv.db.query<{ email: string }>('SELECT email FROM support_requests WHERE id = $1', [ticket.id]);
    expect(after.rows[0]!.email).toMatch(/^[0-9a-f]{32}@erased\.invalid$/);
    await page.locator('[data-testid="privacy-record"] td', { hasText: 'Erased' }).first().waitFor();
  }, 240_000);

  it('speaks French by default and switches to Dutch', async () => {
    const page = await newPage('fr-FR');
    await page.goto(`${srv.url}/agent`);
    await page.getByRole('heading', { name: 'Connexion agent' }).waitFor();
    await page.getByLabel('Langue').selectOption('nl');
    await page.getByRole('heading', { name: 'Aanmelden als agent' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('nl');
  });
});
