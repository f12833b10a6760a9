import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, logIn, type Browser, type Page } from './support/browser.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

// A first run: `npm start` with no setting at all prints http://127.0.0.1:<port> while PUBLIC_URL defaults
// to http://localhost:<port>. Both names must work, live updates included (the WebSocket upgrade checks
// the page's Origin: before the fix every page opened at 127.0.0.1 was refused it and stayed "reconnecting").
let server: ServerProcess;
let browser: Browser;
let viaIp = '';
let viaName = '';

beforeAll(async () => {
  server = await startServerProcess();
  viaIp = `http://127.0.0.1:${server.port}`;
  viaName = `http://localhost:${server.port}`;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A page that remembers whether the widget ever showed the "reconnecting" state, however briefly. */
async function customerPage(): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await page.addInitScript(() => {
    new MutationObserver(() => {
      if (document.querySelector('.tf-conn--reconnecting')) (window as unknown as { sawReconnecting: boolean }).sawReconnecting = true;
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  return page;
}
const sawReconnecting = (page: Page) => page.evaluate(() => (window as unknown as { sawReconnecting?: boolean }).sawReconnecting === true);

describe('a first run with no optional setting (no PUBLIC_URL, no ALLOWED_ORIGINS)', () => {
  it('chats live at the address npm start prints, and the dashboard at localhost sees the customer live', async () => {
    const customer = await customerPage();
    await customer.goto(`${viaIp}/`);
    await customer.getByRole('button', { name: 'Open the help menu' }).click();
    await customer.getByRole('button', { name: /Contact support/ }).click();
    const email = `first.run.${Date.now().toString(36)}@example.com`;
    await customer.getByLabel('Your e-mail').fill(email);
    await customer.getByLabel('Your message').fill('Is the kebab halal?');
    await customer.getByRole('button', { name: 'Send', exact: true }).click();
    await customer.getByText('Your conversation').waitFor();
    await customer.locator('.tf-conn--connected').waitFor();
    const { id } = await customer.evaluate(() => JSON.parse(localStorage.getItem('tf-ticket') ?? 'null') as { id: string });

    // The agent, in the dashboard at localhost (PUBLIC_URL's default name), sees the customer write live.
    const agent = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await logIn(agent, viaName, server.admin);
    await agent.locator('.connection-open').waitFor();
    await agent.locator(`tr[data-ticket-id="${id}"]`).getByRole('link').click();
    await agent.locator('.message-user', { hasText: 'Is the kebab halal?' }).waitFor();
    await customer.getByLabel('Your message').fill('I ordered at the Brussels shop');
    await customer.keyboard.press('Enter');
    await agent.locator('.message-user', { hasText: 'I ordered at the Brussels shop' }).waitFor();

    // An agent in the dashboard at 127.0.0.1 replies; the reply appears in the widget without a reload.
    const agentViaIp = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await logIn(agentViaIp, viaIp, server.admin);
    await agentViaIp.locator(`tr[data-ticket-id="${id}"]`).getByRole('link').click();
    await agentViaIp.getByLabel('Your reply').fill('Yes, 100% halal, certified.');
    await agentViaIp.getByRole('button', { name: 'Send', exact: true }).click();
    await customer.locator('.tf-msg[data-author="agent"]', { hasText: 'Yes, 100% halal, certified.' }).waitFor();
    await agent.locator('.message-agent', { hasText: 'Yes, 100% halal, certified.' }).waitFor();

    expect(await customer.locator('.tf-conn--connected').count()).toBe(1);
    expect(await sawReconnecting(customer)).toBe(false);
  });
});
