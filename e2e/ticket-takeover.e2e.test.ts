import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, sendContactForm, type Browser, type Page } from './support/browser.ts';
import { startTestServer, type TestServer } from './support/server.ts';

// Issue 13, "conversation takeover through the opening clientId", in Chromium: the widget's own retry
// after a lost answer still gets its ticket, and a stranger replaying the clientId gets nothing.

let srv: TestServer;
let browser: Browser;

beforeAll(async () => {
  srv = await startTestServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await srv?.close();
});

let emailCounter = 0;
const uniqueEmail = () => `takeover.${Date.now().toString(36)}.${++emailCounter}@example.com`;

const fillContactForm = (page: Page, email: string, message: string) => sendContactForm(page, srv.url, email, message);

async function storedTicket(page: Page): Promise<{ id: string; token: string }> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('tf-ticket') ?? 'null'));
}

async function ticketsOf(email: string): Promise<string[]> {
  const { rows } = await srv.db.query<{ id: string }>('SELECT id FROM support_requests WHERE email = $1', [email]);
  return rows.map((r) => r.id);
}

describe('ticket creation retries in the widget', () => {
  it('gets the one ticket and a working token when the answer to its first request is lost', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const bodies: Record<string, string>[] = [];
    await page.route('**/api/tickets', async (route) => {
      bodies.push(route.request().postDataJSON());
      if (bodies.length === 1) {
        // The server creates the ticket, then the connection drops before the browser reads the answer.
        expect((await route.fetch()).status()).toBe(201);
        await route.abort('connectionreset');
      } else {
        await route.continue();
      }
    });
    const email = uniqueEmail();
    await fillContactForm(page, email, 'My order is late');
    await page.getByText('Your conversation').waitFor();

    expect(bodies.length).toBeGreaterThanOrEqual(2);
    expect(bodies[1]!.clientId).toBe(bodies[0]!.clientId);
    expect(bodies[1]!.clientSecret).toBe(bodies[0]!.clientSecret);
    expect(bodies[0]!.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const ids = await ticketsOf(email);
    expect(ids).toHaveLength(1);
    const stored = await storedTicket(page);
    expect(stored.id).toBe(ids[0]);
    const read = await fetch(`${srv.url}/api/tickets/${stored.id}`, { headers: { authorization: `Bearer ${stored.token}` } });
    expect(read.status).toBe(200);
    await context.close();
  });

  it('answers a stranger replaying the opening clientId with 409 and no token, and the customer chats on', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const email = uniqueEmail();
    await fillContactForm(page, email, 'Is the chicken halal?');
    await page.getByText('Your conversation').waitFor();
    const { rows } = await srv.db.query<{ client_id: string }>(
      'SELECT m.client_id FROM support_messages m JOIN support_requests r ON r.id = m.request_id WHERE r.email = $1 AND m.seq = 1',
      [email],
    );
    const clientId = rows[0]!.client_id;
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);

    const replay = await fetch(`${srv.url}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, message: 'Is the chicken halal?', clientId }),
    });
    expect(replay.status).toBe(409);
    const answer = (await replay.json()) as Record<string, unknown>;
    expect(answer).not.toHaveProperty('token');
    expect(answer).toMatchObject({ error: { code: 'conflict' } });

    await page.getByLabel('Your message').fill('Still mine');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.locator('.tf-msg[data-state="sent"]', { hasText: 'Still mine' }).waitFor();
    const stored = await storedTicket(page);
    const read = await fetch(`${srv.url}/api/tickets/${stored.id}`, { headers: { authorization: `Bearer ${stored.token}` } });
    expect(read.status).toBe(200);
    await context.close();
  });
});
