import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendMessage } from '../src/server/modules/tickets/index.ts';
import { launchBrowser, type Browser, type Page } from './support/browser.ts';
import { startHostSite, type HostSite } from './support/host-site.ts';
import { startTestServer, type TestServer } from './support/server.ts';

// Issue 15: on the restaurant's page (localhost) the loader of the support server (127.0.0.1) does nothing
// but the launcher until the customer comes near it or the page is idle (docs/widget.md, "The loader on
// the host page's load").
let srv: TestServer;
let site: HostSite;
let browser: Browser;

beforeAll(async () => {
  site = await startHostSite(() => srv.url);
  srv = await startTestServer({ extraOrigins: [site.origin] });
  browser = await launchBrowser({ crossOriginLoopback: true });
});
afterAll(async () => {
  await browser?.close();
  await srv?.close();
  await site?.close();
});

/** Every use of the host page's storage, with whether the page's load event had fired. */
async function recordStorage(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __storage: { op: string; loaded: boolean }[]; __loaded: boolean };
    w.__storage = [];
    w.__loaded = false;
    addEventListener('load', () => (w.__loaded = true));
    for (const op of ['getItem', 'setItem', 'removeItem'] as const) {
      const original = Storage.prototype[op] as (...args: unknown[]) => unknown;
      Storage.prototype[op] = function (this: Storage, ...args: unknown[]) {
        w.__storage.push({ op, loaded: w.__loaded });
        return original.apply(this, args);
      } as never;
    }
  });
}

type Recorded = { __storage: { op: string; loaded: boolean }[] };
const storageUses = (page: Page) => page.evaluate(() => (window as unknown as Recorded).__storage);

const isChatDocument = (url: string) => url.startsWith(`${srv.url}/?`) && new URL(url).searchParams.get('embed') === '1';

describe('the loader on a restaurant page', () => {
  it('draws only the launcher: no storage touched during the load, nothing of the chat requested even once idle', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await recordStorage(page);
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(`${site.origin}/shop`);
    const launcher = page.locator('#tasty-food-widget button');
    await launcher.waitFor();
    expect(await launcher.getAttribute('aria-label')).toBe('Open the Tasty Food help chat');
    // The loader's idle work (some seconds after the load) reads its storage: wait for it, then look.
    await expect.poll(async () => (await storageUses(page)).some((s) => s.loaded && s.op === 'getItem'), { timeout: 30_000 }).toBe(true);
    expect((await storageUses(page)).filter((s) => !s.loaded)).toEqual([]);
    // Of the support server: the loader and its embed check, nothing else (no frame, no chat script).
    expect(requested.filter((u) => u.startsWith(srv.url)).map((u) => new URL(u).pathname)).toEqual(['/widget.js', '/api/widget/embed-check']);
    expect(await page.locator('#tasty-food-widget iframe').count()).toBe(0);
    expect(page.frames()).toHaveLength(1);
    await context.close();
  });

  it('starts loading the chat, hidden, when the pointer comes over the launcher; the click shows it', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${site.origin}/shop`);
    const launcher = page.locator('#tasty-food-widget button');
    await launcher.waitFor();
    expect(await page.locator('#tasty-food-widget iframe').count()).toBe(0);

    const chatRequested = page.waitForRequest((r) => isChatDocument(r.url()));
    await launcher.hover();
    await chatRequested;
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('#tasty-food-widget iframe').isHidden()).toBe(true);

    await launcher.click();
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    await page.frameLocator('#tasty-food-widget iframe').getByRole('heading', { name: 'Hello 👋' }).waitFor();
    await context.close();
  });

  it('a returning customer with a conversation: the chat loads hidden on idle, an agent reply shows the badge, the click shows the conversation', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${site.origin}/shop`);
    const launcher = page.locator('#tasty-food-widget button');
    await launcher.click();
    const chat = page.frameLocator('#tasty-food-widget iframe');
    await chat.getByRole('button', { name: 'Open the help menu' }).click();
    await chat.getByRole('button', { name: /Contact support/ }).click();
    const email = `loader.idle.${Date.now().toString(36)}@example.com`;
    await chat.getByLabel('Your e-mail').fill(email);
    await chat.getByLabel('Your message').fill('Where is my burger?');
    await chat.getByRole('button', { name: 'Send', exact: true }).click();
    await chat.getByText('Your conversation').waitFor();
    const { rows } = await srv.db.query<{ id: string }>('SELECT id FROM support_requests WHERE email = $1', [email]);
    expect(rows).toHaveLength(1);

    // Another page of the site (a reload): nobody touches the launcher.
    const chatRequested = page.waitForRequest((r) => isChatDocument(r.url()));
    await page.reload();
    await chatRequested;
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('#tasty-food-widget iframe').isHidden()).toBe(true);
    // The hidden chat follows the conversation live: an agent's reply shows on the launcher.
    await chat.locator('.tf-conn--connected').waitFor({ state: 'attached' });
    await srv.db.transaction((tx) => appendMessage(tx, { ticketId: rows[0]!.id, authorType: 'agent', body: 'On its way, two minutes.' }));
    await expect.poll(() => launcher.getAttribute('aria-label')).toBe('Open the Tasty Food help chat (1 new message)');
    expect(await page.locator('#tasty-food-widget .badge').innerText()).toBe('1');

    await launcher.click();
    await chat.locator('.tf-msg[data-author="agent"]', { hasText: 'On its way, two minutes.' }).waitFor();
    await chat.locator('.tf-msg[data-author="user"]', { hasText: 'Where is my burger?' }).waitFor();
    expect(await page.locator('#tasty-food-widget .badge').isHidden()).toBe(true);
    await context.close();
  });
});
