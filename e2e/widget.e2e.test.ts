import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendMessage, TICKETS_PER_EMAIL_PER_ADDRESS_PER_DAY } from '../src/server/modules/tickets/index.ts';
import { expectAccessible, launchBrowser, sendContactForm, type Browser, type BrowserContext, type Page } from './support/browser.ts';
import { startTestServer, type TestServer } from './support/server.ts';

// The restaurant's site: another origin than the widget's. Both on loopback, because Chromium blocks a
// public page from loading scripts from a loopback address (Private Network Access).
const hostOrigin = (port: number) => `http://localhost:${port}`;
let HOST_ORIGIN = '';
let srv: TestServer;
let browser: Browser;

beforeAll(async () => {
  srv = await startTestServer({ extraOrigins: (port) => [hostOrigin(port)] });
  HOST_ORIGIN = hostOrigin(srv.config.port);
  browser = await launchBrowser({ crossOriginLoopback: true });
});
afterAll(async () => {
  await browser?.close();
  await srv?.close();
});

async function newPage(locale = 'en-US'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale });
  const page = await context.newPage();
  return { context, page };
}

let emailCounter = 0;
const uniqueEmail = () => `widget.${Date.now().toString(36)}.${++emailCounter}@example.com`;

async function openTicketThroughForm(page: Page, email: string, message: string) {
  await sendContactForm(page, srv.url, email, message);
  await page.getByText('Your conversation').waitFor();
}

async function storedTicket(page: Page): Promise<{ id: string; token: string }> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('tf-ticket') ?? 'null'));
}

async function countUserMessages(ticketId: string, body?: string): Promise<number> {
  const { rows } = await srv.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM support_messages WHERE request_id = $1 AND author_type = 'user'${body ? ' AND body = $2' : ''}`,
    body ? [ticketId, body] : [ticketId],
  );
  return rows[0]!.n;
}

describe('the customer chat widget in Chromium', () => {
  it('opens from the embed loader on another site, keyboard only, focus moving into the panel and back', async () => {
    const { context, page } = await newPage();
    await page.route(`${HOST_ORIGIN}/shop`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><head><title>Shop</title></head><body><main><h1>Shop</h1><a href="#x">A link</a></main><script src="${srv.url}/widget.js" async></script></body></html>`,
      }),
    );
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(`${HOST_ORIGIN}/shop`);
    const launcher = page.locator('#tasty-food-widget button');
    await launcher.waitFor();
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    // Nothing of the chat is loaded before the customer opens it.
    expect(requested.some((u) => u.includes('/assets/'))).toBe(false);
    await launcher.focus();
    await page.keyboard.press('Enter');
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    const frame = page.frameLocator('#tasty-food-widget iframe');
    await frame.getByRole('heading', { name: 'Hello 👋' }).waitFor();
    // Focus is inside the panel: the heading of the current mode.
    await expect.poll(() => frame.locator(':focus').evaluate((el) => el.tagName).catch(() => null)).toBe('H2');
    await page.keyboard.press('Escape');
    await expect.poll(() => launcher.getAttribute('aria-expanded')).toBe('false');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('tasty-food-widget');
    await context.close();
  });

  it('reads an FAQ answer, keyboard only', async () => {
    const { context, page } = await newPage();
    await page.goto(`${srv.url}/`);
    await page.getByRole('button', { name: 'Open the help menu' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'How can we help?' }).waitFor();
    await expectAccessible(page, 'mode help');
    await page.getByRole('button', { name: /Frequently asked questions/ }).focus();
    await page.keyboard.press('Enter');
    const first = page.locator('.tf-faq__item summary').first();
    await first.waitFor();
    await first.focus();
    await page.keyboard.press('Enter');
    const answer = page.locator('.tf-faq__item[open] .tf-faq__answer');
    await answer.waitFor();
    expect((await answer.innerText()).length).toBeGreaterThan(10);
    await expectAccessible(page, 'mode faq');
    // Cached for the session (docs/widget.md): a second visit to the FAQ makes no request.
    expect(await page.evaluate(() => sessionStorage.getItem('faq-content'))).toContain('"en"');
    await context.close();
  });

  it('tracks a demo order and shows its status', async () => {
    const { context, page } = await newPage();
    await page.goto(`${srv.url}/?mode=track`);
    await page.getByLabel('Order number').fill('TF-1002');
    await page.getByLabel('E-mail used for the order').fill('sarah.dupont@example.com');
    await page.getByRole('button', { name: 'Track' }).click();
    await page.getByRole('heading', { name: 'Order TF-1002' }).waitFor();
    expect(await page.locator('.tf-order__status').innerText()).toContain('Out for delivery');
    await expectAccessible(page, 'mode track');
    // A wrong e-mail is the same 404 as an unknown number, shown in the customer's words.
    await page.getByLabel('E-mail used for the order').fill('someone.else@example.com');
    await page.getByRole('button', { name: 'Track' }).click();
    await page.getByText('No order matches this number and e-mail address.', { exact: false }).waitFor();
    await context.close();
  });

  it('opens a ticket, sends messages, and shows an agent reply live', async () => {
    const { context, page } = await newPage();
    await openTicketThroughForm(page, uniqueEmail(), 'My order TF-1003 is late');
    const { id } = await storedTicket(page);
    await page.locator('.tf-conn--connected').waitFor();
    await page.getByLabel('Your message').fill('Any news?');
    await page.keyboard.press('Enter');
    await page.locator('.tf-msg[data-state="sent"]', { hasText: 'Any news?' }).waitFor();
    await expectAccessible(page, 'mode ticket');

    await srv.db.transaction((tx) => appendMessage(tx, { ticketId: id, authorType: 'agent', body: 'Your rider is two streets away.' }));
    await page.locator('.tf-msg[data-author="agent"]', { hasText: 'Your rider is two streets away.' }).waitFor();
    // Announced to screen readers through the live region.
    await expect.poll(() => page.locator('[aria-live="polite"][aria-atomic="true"]').innerText()).toContain('two streets away');

    // A reload reopens the same conversation from localStorage.
    await page.reload();
    await page.locator('.tf-msg', { hasText: 'Your rider is two streets away.' }).waitFor();
    expect(await page.locator('.tf-msg', { hasText: 'Any news?' }).count()).toBe(1);
    await context.close();
  });

  it('opens the conversation from the e-mailed link and removes the token from the address bar', async () => {
    const { context: first, page: p1 } = await newPage();
    await openTicketThroughForm(p1, uniqueEmail(), 'Link test');
    const session = await storedTicket(p1);
    await first.close();

    const { context, page } = await newPage();
    await page.goto(`${srv.url}/#ticket=${session.id}&token=${encodeURIComponent(session.token)}`);
    await page.locator('.tf-msg', { hasText: 'Link test' }).waitFor();
    expect(page.url()).toBe(`${srv.url}/`);
    expect((await storedTicket(page)).id).toBe(session.id);
    await context.close();
  });

  it('keeps messages written offline across a reload and stores and shows each exactly once, in order', async () => {
    const { context, page } = await newPage();
    await openTicketThroughForm(page, uniqueEmail(), 'Offline journey');
    const { id } = await storedTicket(page);
    await page.locator('.tf-conn--connected').waitFor();

    await context.setOffline(true);
    await page.locator('.tf-conn--offline').waitFor();
    for (const body of ['first offline', 'second offline', 'third offline']) {
      await page.getByLabel('Your message').fill(body);
      await page.keyboard.press('Enter');
    }
    await expect.poll(() => page.locator('.tf-msg[data-state="pending"]').count()).toBe(3);
    expect(await countUserMessages(id)).toBe(1);

    // Back on the network but the API still unreachable: the reload must come back with the queue.
    await page.route('**/api/tickets/*/messages', (route) => (route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.fallback()));
    await context.setOffline(false);
    await page.reload();
    await expect.poll(() => page.locator('.tf-msg[data-state="pending"]').count()).toBe(3);
    expect(await countUserMessages(id)).toBe(1);

    await page.unroute('**/api/tickets/*/messages');
    await expect.poll(() => page.locator('.tf-msg[data-state="pending"]').count(), { timeout: 30_000 }).toBe(0);
    const shown = await page.locator('.tf-msg[data-author="user"] .tf-bubble__body').allInnerTexts();
    expect(shown).toEqual(['Offline journey', 'first offline', 'second offline', 'third offline']);
    for (const body of ['first offline', 'second offline', 'third offline']) expect(await countUserMessages(id, body)).toBe(1);
    const { rows } = await srv.db.query<{ body: string }>(
      `SELECT body FROM support_messages WHERE request_id = $1 AND author_type = 'user' ORDER BY seq`,
      [id],
    );
    expect(rows.map((r) => r.body)).toEqual(['Offline journey', 'first offline', 'second offline', 'third offline']);
    // Nothing is left in the IndexedDB queue.
    await page.reload();
    await page.locator('.tf-msg', { hasText: 'third offline' }).waitFor();
    expect(await page.locator('.tf-msg[data-state="pending"]').count()).toBe(0);
    expect(await page.locator('.tf-msg', { hasText: 'second offline' }).count()).toBe(1);
    await context.close();
  });

  it('switches language, remembers it, and sends it with the new ticket', async () => {
    const { context, page } = await newPage('fr-FR');
    await page.goto(`${srv.url}/`);
    await page.getByRole('heading', { name: 'Aide Tasty Food' }).waitFor();
    await page.getByLabel('Langue').selectOption('nl');
    await page.getByRole('heading', { name: 'Tasty Food-hulp' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('nl');
    await page.reload();
    await page.getByRole('heading', { name: 'Tasty Food-hulp' }).waitFor();
    await page.getByRole('button', { name: 'Open het hulpmenu' }).click();
    await page.getByRole('button', { name: /Contact met de klantenservice/ }).click();
    const email = uniqueEmail();
    await page.getByLabel('Je e-mail').fill(email);
    await page.getByLabel('Je bericht').fill('Hallo');
    await page.getByRole('button', { name: 'Versturen', exact: true }).click();
    await page.getByText('Je gesprek').waitFor();
    const { rows } = await srv.db.query<{ lang: string }>('SELECT lang FROM support_requests WHERE email = $1', [email]);
    expect(rows[0]?.lang).toBe('nl');
    const prefs = await srv.db.query<{ language: string }>('SELECT language FROM user_preferences WHERE user_id = $1', [email]);
    expect(prefs.rows[0]?.language).toBe('nl');
    await context.close();
  });

  it('shows the friendly 429 message once the daily ticket limit is reached', async () => {
    const email = uniqueEmail();
    // From the browser's own address: one client address may open 3 of an e-mail address's 5 daily tickets.
    for (let i = 0; i < TICKETS_PER_EMAIL_PER_ADDRESS_PER_DAY; i++) {
      const res = await fetch(`${srv.url}/api/tickets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, message: `ticket ${i}`, lang: 'en' }),
      });
      expect(res.status).toBe(201);
    }
    const { context, page } = await newPage();
    await page.goto(`${srv.url}/?mode=support`);
    await page.getByLabel('Your e-mail').fill(email);
    await page.getByLabel('Your message').fill('One more');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: "You have reached today's ticket limit" }).waitFor();
    await expectAccessible(page, 'mode support with error');
    await context.close();
  });

  it('asks for a rating once the ticket is resolved and stores it', async () => {
    const { context, page } = await newPage();
    await openTicketThroughForm(page, uniqueEmail(), 'Rate me');
    const { id } = await storedTicket(page);
    await page.locator('.tf-conn--connected').waitFor();
    await srv.db.transaction(async (tx) => {
      await tx.query(`UPDATE support_requests SET status = 'resolved', resolved_at = now(), updated_at = now() WHERE id = $1`, [id]);
      const { publishEvent, BUS_EVENTS } = await import('../src/server/events/bus.ts');
      await publishEvent(tx, { type: BUS_EVENTS.ticketUpdated, ticketId: id });
    });
    await page.getByText('How would you rate our help?').waitFor();
    await expectAccessible(page, 'mode rating');
    // The stars are the radio buttons' labels.
    await page.locator('label.tf-star').nth(3).click();
    expect(await page.getByRole('radio', { name: '4 stars' }).isChecked()).toBe(true);
    await page.getByLabel('A comment? (optional)').fill('Quick answer');
    await page.getByRole('button', { name: 'Send my rating' }).click();
    await page.getByText('Thank you for your feedback!').waitFor();
    await context.close();
  });
});
