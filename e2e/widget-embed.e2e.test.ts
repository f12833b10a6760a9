import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, launchRefusingStorage, type Browser, type Frame, type Page } from './support/browser.ts';
import { startHostSite, type HostSite } from './support/host-site.ts';
import { startTestServer, type TestServer } from './support/server.ts';

// The restaurant's site (localhost) embeds the widget from the support server (127.0.0.1): two sites.
let srv: TestServer;
let allowedSite: HostSite;
let otherSite: HostSite;

beforeAll(async () => {
  allowedSite = await startHostSite(() => srv.url);
  otherSite = await startHostSite(() => srv.url);
  srv = await startTestServer({ extraOrigins: [allowedSite.origin] });
});
afterAll(async () => {
  await srv?.close();
  await allowedSite?.close();
  await otherSite?.close();
});

const HOST_STORAGE_KEY = 'tasty-food-widget';

function widgetFrame(page: Page): Frame {
  const frame = page.frames().find((f) => f.url().startsWith(`${srv.url}/`));
  if (!frame) throw new Error('the widget iframe is not in the page');
  return frame;
}

async function storedBodies(ticketId: string): Promise<string[]> {
  const { rows } = await srv.db.query<{ body: string }>(`SELECT body FROM support_messages WHERE request_id = $1 AND author_type = 'user' ORDER BY seq`, [ticketId]);
  return rows.map((r) => r.body);
}

describe('the widget embedded on a restaurant site that the browser refuses third-party storage', () => {
  let browser: Awaited<ReturnType<typeof launchRefusingStorage>>;
  beforeAll(async () => {
    browser = await launchRefusingStorage('http://127.0.0.1:*', 'http://localhost:*');
  });
  afterAll(async () => browser?.close());

  it('sends every message exactly once and shows the conversation again after a reload of the host page', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${allowedSite.origin}/shop`);
    await page.locator('#tasty-food-widget button').click();
    const chat = page.frameLocator('#tasty-food-widget iframe');
    await chat.getByRole('heading', { name: 'Hello 👋' }).waitFor();

    // The condition under test, checked in the iframe itself: no IndexedDB, no localStorage.
    const refused = await widgetFrame(page).evaluate(async () => ({
      idb: await new Promise<string>((resolve) => {
        const request = indexedDB.open('tf-probe');
        request.onsuccess = () => resolve('opened');
        request.onerror = () => resolve(String(request.error));
      }),
      localStorage: (() => {
        try {
          void localStorage.length;
          return 'readable';
        } catch (error) {
          return String(error);
        }
      })(),
    }));
    expect(refused.idb).toContain('denied permission');
    expect(refused.localStorage).toContain('SecurityError');

    await chat.getByRole('button', { name: 'Open the help menu' }).click();
    await chat.getByRole('button', { name: /Contact support/ }).click();
    const email = `embedded.${Date.now().toString(36)}@example.com`;
    await chat.getByLabel('Your e-mail').fill(email);
    await chat.getByLabel('Your message').fill('Opening message');
    await chat.getByRole('button', { name: 'Send', exact: true }).click();
    await chat.getByText('Your conversation').waitFor();

    const bodies = ['first after opening', 'second after opening', 'third after opening'];
    for (const body of bodies) {
      await chat.getByLabel('Your message').fill(body);
      await chat.getByLabel('Your message').press('Enter');
    }
    for (const body of bodies) await chat.locator('.tf-msg[data-state="sent"]', { hasText: body }).waitFor();
    expect(await chat.locator('.tf-msg[data-state="pending"]').count()).toBe(0);
    const { rows } = await srv.db.query<{ id: string }>('SELECT id FROM support_requests WHERE email = $1', [email]);
    expect(rows).toHaveLength(1);
    expect(await storedBodies(rows[0]!.id)).toEqual(['Opening message', ...bodies]);

    // The loader keeps the conversation in the host page's own storage, under one key.
    await expect.poll(() => page.evaluate((key) => localStorage.getItem(key), HOST_STORAGE_KEY)).toContain('"token"');
    const kept = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)!) as { session: { id: string; token: string }; lang: string }, HOST_STORAGE_KEY);
    expect(kept).toMatchObject({ session: { id: rows[0]!.id }, lang: 'en' });

    await page.reload();
    await page.locator('#tasty-food-widget button').click();
    for (const body of ['Opening message', ...bodies]) await chat.locator('.tf-msg', { hasText: body }).waitFor();
    expect(await chat.locator('.tf-msg[data-author="user"] .tf-bubble__body').allInnerTexts()).toEqual(['Opening message', ...bodies]);
    await page.close();
  });
});

describe('the widget on a site missing from ALLOWED_ORIGINS', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser({ crossOriginLoopback: true });
  });
  afterAll(async () => browser?.close());

  it('shows no launcher and no frame, and logs one console error naming the origin to add', async () => {
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${otherSite.origin}/shop`);
    await expect.poll(() => errors.length).toBeGreaterThan(0);
    expect(errors).toEqual([expect.stringContaining(`Add ${otherSite.origin} to ALLOWED_ORIGINS`)]);
    expect(await page.locator('#tasty-food-widget').count()).toBe(0);
    expect(await page.locator('iframe').count()).toBe(0);
    expect(page.frames()).toHaveLength(1);
  });

  it('shows the launcher on an allowed site (the check says yes)', async () => {
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${allowedSite.origin}/shop`);
    await page.locator('#tasty-food-widget button').click();
    await page.frameLocator('#tasty-food-widget iframe').getByRole('heading', { name: 'Hello 👋' }).waitFor();
    expect(errors).toEqual([]);
  });
});
