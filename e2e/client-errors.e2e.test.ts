import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, type TestAgent } from '../src/server/test/agent-factories.ts';
import { expectAccessible, launchBrowser, logIn, type Browser, type BrowserContext, type Page } from './support/browser.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let srv: TestServer;
let browser: Browser;
let agent: TestAgent;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  srv = await startTestServer();
  browser = await launchBrowser();
  agent = await createAgent(srv.db, { role: 'agent', name: 'Olga Observer' });
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await srv?.close();
});

async function newPage(): Promise<Page> {
  // bypassCSP lets axe-core be injected into pages whose CSP allows only their own scripts.
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 900 }, bypassCSP: true });
  contexts.push(context);
  return context.newPage();
}

type Row = { error_type: string; message: string; stack: string | null; context: { page: string; url: string; userAgent: string; release: string } };
const clientErrors = async (page: string) =>
  (
    await srv.db.query<Row>(
      `SELECT error_type, message, stack, context FROM error_logs WHERE source = 'client' AND context->>'page' = $1 ORDER BY created_at`,
      [page],
    )
  ).rows;

/** An uncaught error and an unhandled rejection, raised in the page as a bug would. */
const raiseErrors = (page: Page, tag: string) =>
  page.evaluate((t) => {
    setTimeout(() => {
      throw new TypeError(`${t}: uncaught`);
    });
    void Promise.reject(new Error(`${t}: rejected`));
  }, tag);

describe('browser errors and the daily checklist', () => {
  it('the widget reports its uncaught errors to the server, which keeps them without the ticket token', async () => {
    const res = await fetch(`${srv.url}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'reporter@example.com', message: 'My order is late', lang: 'en' }),
    });
    const { ticket, token } = (await res.json()) as { ticket: { id: string }; token: string };
    const page = await newPage();
    await page.goto(`${srv.url}/?lang=en#ticket=${ticket.id}&token=${token}`);
    await page.locator('#tf-chat *').first().waitFor();
    await raiseErrors(page, 'widget-e2e');
    await raiseErrors(page, 'widget-e2e'); // the same errors again: reported once

    await expect.poll(async () => (await clientErrors('widget')).length, { timeout: 20_000 }).toBe(2);
    const rows = await clientErrors('widget');
    expect(rows.map((r) => [r.error_type, r.message]).sort()).toEqual([
      ['Error', 'widget-e2e: rejected'],
      ['TypeError', 'widget-e2e: uncaught'],
    ]);
    for (const r of rows) {
      expect(r.context.url).toBe(`${srv.url}/`);
      expect(r.context.userAgent).toMatch(/Chrome/);
      expect(r.context.release).toBe(srv.config.release);
    }
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('shows the agent the day at a glance: errors by source, open tickets, first response; and the client metrics', async () => {
    await srv.db.query(`INSERT INTO error_logs (source, error_type, message) VALUES ('server', 'Error', 'checklist e2e')`);
    await fetch(`${srv.url}/api/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ metrics: [10, 20, 30].map((value) => ({ name: 'e2e_render_ms', value, timestamp: Date.now() })) }),
    });
    const { rows } = await srv.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM support_requests WHERE status = 'open'`);
    const openNow = rows[0]!.n;

    const page = await newPage();
    await logIn(page, srv.url, agent);
    await page.getByRole('heading', { name: 'Today’s checklist' }).waitFor();

    const card = (label: string) => page.locator('.stat-card', { has: page.locator('dt', { hasText: label }) }).first();
    // 1 server error, 2 from the widget (the test before).
    await card('Errors').locator('.stat-value', { hasText: /^3$/ }).waitFor();
    expect(await card('Errors').locator('.stat-hint').textContent()).toContain('server 1 · browsers 2');
    expect(await card('Errors').getAttribute('class')).toContain('stat-alert');
    expect(await card('Open tickets').locator('.stat-value').textContent()).toBe(String(openNow));
    await expectAccessible(page, 'the queue with the checklist');

    // The dashboard reports its own errors too.
    await raiseErrors(page, 'dashboard-e2e');
    await expect.poll(async () => (await clientErrors('dashboard')).length, { timeout: 20_000 }).toBe(2);

    await page.getByRole('link', { name: 'Analytics' }).click();
    await page.getByRole('heading', { name: 'Client performance' }).waitFor();
    const row = page.locator('tr', { has: page.locator('th', { hasText: 'e2e_render_ms' }) });
    await row.waitFor();
    expect((await row.locator('td').allTextContents()).slice(1)).toEqual(['3', '20', '10', '30', '30']);
    await expectAccessible(page, 'the analytics page');
  });
});
