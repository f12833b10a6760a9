import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, type TestAgent } from '../src/server/test/agent-factories.ts';
import { launchBrowser, logIn, type Browser, type BrowserContext, type Page } from './support/browser.ts';
import { startTestServer, type TestServer } from './support/server.ts';

// Issue 8: what customers and agents type is shown as text, never as markup, in the widget and the
// dashboard. Each payload would set `window.__pwned` (or open a dialog, or add an element) if any page
// rendered it as HTML, evaluated it as a template or turned it into a live link. The pages run with their
// real Content-Security-Policy (no bypassCSP), in the machine's Chromium.

const LONG = 'W'.repeat(3000);
const PAYLOADS: [name: string, payload: string][] = [
  ['a script element', '<script>window.__pwned=1</script>'],
  ['an img with onerror', '<img src=x onerror="window.__pwned=1">'],
  ['an svg with onload and an inner script', '<svg onload="window.__pwned=1"><script>window.__pwned=1;alert(1)</script></svg>'],
  ['a javascript: anchor', '<a href="javascript:window.__pwned=1">click</a>'],
  ['a bare javascript: URL', 'javascript:window.__pwned=1//https://example.com'],
  ['an iframe with srcdoc', `<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>`],
  ['an attribute breakout', `"><script>window.__pwned=1</script><img src=x onerror=window.__pwned=1 x='`],
  ['a template expression', "{{constructor.constructor('window.__pwned=1')()}}"],
  ['a markdown javascript: link', '[x](javascript:window.__pwned=1) and ![y](x" onerror="window.__pwned=1)'],
  ['data:text/html links', '<a href="data:text/html,<script>window.__pwned=1</script>">data</a> data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+'],
  ['a very long unbroken string', LONG],
];

/** Elements a payload could add inside a message list if it were parsed as HTML (the lists have none). */
const INJECTABLE = 'script, img, svg, iframe, frame, object, embed, a, form, input, style, link, meta, base, math, template';
/** What a payload would leave anywhere in the document if parsed: none of the pages has any of these. */
const INJECTED_ANYWHERE = '[onerror], [onload], iframe, frame, object, embed, img[src="x"], a[href^="javascript:" i], a[href^="data:" i]';

let srv: TestServer;
let browser: Browser;
let agent: TestAgent;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  srv = await startTestServer({ demoData: false });
  browser = await launchBrowser();
  agent = await createAgent(srv.db, { role: 'agent', name: 'Inert Agent' });
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await srv?.close();
});

let emailCounter = 0;
const uniqueEmail = () => `inert.${Date.now().toString(36)}.${++emailCounter}@example.com`;

type WatchedPage = { page: Page; dialogs: string[]; cspViolations: string[] };

/**
 * A page of a new context with the real CSP, recording every dialog (dismissed at once) and every CSP
 * violation the page reports (through the `securitypolicyviolation` event, installed before any script),
 * as `<directive> <blocked> <source:line:col> <sample>`.
 */
async function watchedPage(viewport: { width: number; height: number }): Promise<WatchedPage> {
  const context = await browser.newContext({ locale: 'en-US', viewport });
  contexts.push(context);
  const page = await context.newPage();
  const dialogs: string[] = [];
  const cspViolations: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => {});
  });
  await page.exposeFunction('__reportCsp', (directive: string) => cspViolations.push(directive));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __reportCsp: (d: string) => void }).__reportCsp(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`),
    );
  });
  return { page, dialogs, cspViolations };
}

const DASHBOARD_VIEWPORT = { width: 1280, height: 900 };
const PHONE_VIEWPORT = { width: 360, height: 740 };

async function openTicket(body: Record<string, unknown>): Promise<Response> {
  return fetch(`${srv.url}/api/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: uniqueEmail(), message: 'Hello', lang: 'en', ...body }),
  });
}

async function sendCustomerMessage(ticketId: string, token: string, body: string): Promise<void> {
  const res = await fetch(`${srv.url}/api/tickets/${ticketId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ body, clientId: randomUUID() }),
  });
  expect(res.status).toBe(201);
}

/** Nothing ran, no dialog opened, no CSP violation, and nothing of a payload became an element. */
async function expectInert(w: WatchedPage, messageList: string): Promise<void> {
  expect(await w.page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(w.dialogs).toEqual([]);
  // Text never even tries to run: the CSP had nothing to block.
  expect(w.cspViolations).toEqual([]);
  const inList = await w.page.locator(messageList).evaluateAll((lists, sel) => lists.flatMap((l) => [...l.querySelectorAll(sel)].map((e) => e.outerHTML.slice(0, 120))), INJECTABLE);
  expect(inList).toEqual([]);
  const anywhere = await w.page.evaluate((sel) => [...document.querySelectorAll(sel)].map((e) => e.outerHTML.slice(0, 120)), INJECTED_ANYWHERE);
  expect(anywhere).toEqual([]);
  expect(w.page.frames()).toHaveLength(1);
}

type Box = { left: number; right: number };
const boxesOf = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, right: r.right };
    }),
  );

/** Every bubble lies inside its scrolling conversation, inside the viewport, and the page does not scroll sideways. */
async function expectBubblesFit(page: Page, bubble: string, container: string): Promise<void> {
  const width = page.viewportSize()!.width;
  const [frame] = (await boxesOf(page, container)) as [Box];
  const bubbles = await boxesOf(page, bubble);
  expect(bubbles.length).toBeGreaterThan(0);
  for (const b of bubbles) {
    expect(b.left).toBeGreaterThanOrEqual(Math.max(0, frame.left) - 0.5);
    expect(b.right).toBeLessThanOrEqual(Math.min(width, frame.right) + 0.5);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  expect(await page.locator(container).evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
}

describe('customer and agent text is rendered inert in Chromium', () => {
  let agentPage: WatchedPage;

  beforeAll(async () => {
    agentPage = await watchedPage(DASHBOARD_VIEWPORT);
    await logIn(agentPage.page, srv.url, agent);
  });

  it.each(PAYLOADS)(
    '%s: shown literally as the opening message, a customer message and an agent reply, in the queue, the ticket page and the widget',
    async (_name, payload) => {
      const opened = await openTicket({ message: payload });
      expect(opened.status).toBe(201);
      const { ticket, token } = (await opened.json()) as { ticket: { id: string }; token: string };

      // The queue's preview of the opening message.
      const a = agentPage.page;
      await a.goto(`${srv.url}/agent`);
      const row = a.locator(`tr[data-ticket-id="${ticket.id}"]`);
      await row.waitFor();
      expect(await row.locator('.ticket-excerpt').textContent()).toBe(payload);
      await expectInert(agentPage, 'tbody .ticket-excerpt');
      // The row stays within the table and the table within its frame: no sideways scrolling.
      const width = a.viewportSize()!.width;
      for (const b of await boxesOf(a, `tr[data-ticket-id="${ticket.id}"] td`)) expect(b.right).toBeLessThanOrEqual(width + 0.5);
      expect(await a.locator('.table-wrap').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      expect(await a.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

      // The customer's widget, opened from the e-mailed link, on a phone.
      const customer = await watchedPage(PHONE_VIEWPORT);
      const c = customer.page;
      await c.goto(`${srv.url}/#ticket=${ticket.id}&token=${encodeURIComponent(token)}`);
      await c.locator('.tf-conn--connected').waitFor();
      await c.locator('.tf-msg[data-author="user"]').first().waitFor();

      // The agent's ticket page: the opening message, then a customer message arriving live.
      await row.getByRole('link').click();
      await a.locator('.message-user').first().waitFor();
      await sendCustomerMessage(ticket.id, token, payload);
      await expect.poll(() => a.locator('.message-user').count()).toBe(2);

      // The agent replies through the dashboard; it reaches the open widget live.
      await a.getByLabel('Your reply').fill(payload);
      await a.getByRole('button', { name: 'Send', exact: true }).click();
      await a.locator('.message-agent[data-author="agent"]').waitFor();
      await c.locator('.tf-msg[data-author="agent"][data-state="sent"]').waitFor();
      await expect.poll(() => c.locator('.tf-msg[data-author="user"]').count()).toBe(2);

      expect(await a.locator('.message-user .message-body').allTextContents()).toEqual([payload, payload]);
      expect(await a.locator('.message-agent .message-body').allTextContents()).toEqual([payload]);
      await expectInert(agentPage, '.messages');
      await expectBubblesFit(a, '.message', '.conversation');

      const widgetBodies = async () => ({
        user: await c.locator('.tf-msg[data-author="user"] .tf-bubble__body').allTextContents(),
        agent: await c.locator('.tf-msg[data-author="agent"] .tf-bubble__body').allTextContents(),
      });
      expect(await widgetBodies()).toEqual({ user: [payload, payload], agent: [payload] });
      await expectInert(customer, '.tf-conv__list');
      await expectBubblesFit(c, '.tf-bubble', '.tf-conv__scroll');

      // Rendered again from the API after a reload, not from the live frames.
      await c.reload();
      await c.locator('.tf-msg[data-author="agent"]').waitFor();
      expect(await widgetBodies()).toEqual({ user: [payload, payload], agent: [payload] });
      await expectInert(customer, '.tf-conv__list');
      await expectBubblesFit(c, '.tf-bubble', '.tf-conv__scroll');
    },
  );
});

describe('the e-mail and order number fields', () => {
  it.each(PAYLOADS)('refuses %s as an e-mail address or an order number with 400 and stores no ticket', async (_name, payload) => {
    const marker = `field test ${randomUUID()}`;
    for (const body of [{ email: payload, message: marker }, { message: marker, orderNumber: payload }]) {
      const res = await openTicket(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    }
    const { rows } = await srv.db.query<{ n: number }>('SELECT count(*)::int AS n FROM support_requests WHERE message = $1', [marker]);
    expect(rows[0]!.n).toBe(0);
  });

  it.each(PAYLOADS.filter(([, p]) => p.length <= 64))('keeps %s typed as an order number inert in the widget’s tracking form', async (_name, payload) => {
    const customer = await watchedPage(PHONE_VIEWPORT);
    const c = customer.page;
    await c.goto(`${srv.url}/?mode=track`);
    await c.getByLabel('Order number').fill(payload);
    await c.getByLabel('E-mail used for the order').fill('someone@example.com');
    await c.getByRole('button', { name: 'Track' }).click();
    await c.locator('.tf-track [role="alert"]').waitFor();
    expect(await c.getByLabel('Order number').inputValue()).toBe(payload);
    await expectInert(customer, '.tf-track .tf-error');
  });

  it('shows the most unusual accepted e-mail address and order number literally on the ticket page', async () => {
    const email = `o'brien+${Date.now().toString(36)}@example.com`;
    const orderNumber = 'tf-_9-x';
    const res = await openTicket({ email, orderNumber, message: 'Where is it?' });
    expect(res.status).toBe(201);
    const { ticket } = (await res.json()) as { ticket: { id: string; order_number: string } };
    const w = await watchedPage(DASHBOARD_VIEWPORT);
    await logIn(w.page, srv.url, agent);
    await w.page.goto(`${srv.url}/agent/tickets/${ticket.id}`);
    await w.page.getByRole('heading', { name: `Ticket from ${email}` }).waitFor();
    const details = w.page.locator('.details');
    expect(await details.locator('a').getAttribute('href')).toBe(`mailto:${email}`);
    expect(await details.locator('a').textContent()).toBe(email);
    expect(await details.locator('dd.mono').textContent()).toBe(ticket.order_number);
    await expectInert(w, '.details dd.mono');
  });
});

describe('the pages’ Content-Security-Policy, the second line of defence', () => {
  it.each([
    ['the widget', '/'],
    ['the dashboard', '/agent'],
  ])('%s refuses inline handlers, inline scripts and code from strings even if markup got into the page', async (_name, path) => {
    const w = await watchedPage(DASHBOARD_VIEWPORT);
    const res = await w.page.goto(`${srv.url}${path}`);
    const csp = res!.headers()['content-security-policy'] ?? '';
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter(([name]) => name)
        .map(([name, ...values]) => [name!, values]),
    );
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.has('script-src-elem') || directives.has('script-src-attr')).toBe(false);
    await w.page.locator('.tf-main, #app *').first().waitFor();

    // What a rendering hole would add: an inline handler, an inline script, a string evaluated as code.
    // (Code compiled by a timer: the test's own page.evaluate is exempt from the CSP, a page's timer is not.)
    await w.page.evaluate(() => {
      document.body.insertAdjacentHTML('beforeend', '<img src="x" onerror="window.__pwned=1">');
      const script = document.createElement('script');
      script.textContent = 'window.__pwned=1';
      document.body.append(script);
      (setTimeout as (code: string, ms: number) => number)('window.__pwned=1', 0);
    });
    await expect.poll(() => [...new Set(w.cspViolations.map((v) => v.split(' ')[0]))].sort()).toEqual(['script-src', 'script-src-attr', 'script-src-elem']);
    expect(await w.page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(w.dialogs).toEqual([]);
  });
});
