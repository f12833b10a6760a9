import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, type TestAgent } from '../src/server/test/agent-factories.ts';
import { launchBrowser, logIn, sendContactForm, type Browser, type Page } from './support/browser.ts';
import { startTestServer, type TestServer } from './support/server.ts';

// Issue 17 in Chromium, on the embedded database and (with TEST_DATABASE_URL) on the PostgreSQL server.
const DATABASES = ['pglite', ...(process.env.TEST_DATABASE_URL ? ['postgres'] : [])];

/** A phone photo: 80 × 40 pixels stored sideways (EXIF orientation 6), with a GPS position. */
const photo = () =>
  sharp({ create: { width: 80, height: 40, channels: 3, background: '#c0392b' } })
    .jpeg()
    .withMetadata({ orientation: 6, exif: { IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '50/1 50/1 0/1' } } })
    .toBuffer();
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

const loaded = (page: Page, selector: string) =>
  page.waitForFunction((s) => [...document.querySelectorAll<HTMLImageElement>(s)].some((img) => img.complete && img.naturalWidth > 0), selector);

describe.each(DATABASES)('photos and files in the conversation (%s)', (database) => {
  let srv: TestServer;
  let browser: Browser;
  let agent: TestAgent;
  beforeAll(async () => {
    srv = await startTestServer({ demoData: false, postgresUrl: database === 'postgres' ? process.env.TEST_DATABASE_URL : undefined });
    browser = await launchBrowser();
    agent = await createAgent(srv.db, { name: 'Bob Agent' });
  });
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('a customer on a phone sends a photo, and one more offline (sent once); the agent sees both and answers with a PDF the customer downloads', async () => {
    const phone = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await phone.newPage();
    await sendContactForm(page, srv.url, `photo.${Date.now().toString(36)}@example.com`, 'My burger arrived cold');
    await page.getByText('Your conversation').waitFor();
    await page.locator('.tf-conn--connected').waitFor();
    const { id } = (await page.evaluate(() => JSON.parse(localStorage.getItem('tf-ticket') ?? 'null'))) as { id: string };
    expect(await page.getByLabel('Take a photo').getAttribute('capture')).toBe('environment');
    expect(await page.locator('.tf-attach--camera').isVisible()).toBe(true);

    await page.getByLabel('Attach a photo or a PDF').setInputFiles({ name: 'burger.jpg', mimeType: 'image/jpeg', buffer: await photo() });
    await page.getByLabel('Your message').fill('Here it is');
    await page.keyboard.press('Enter');
    const sent = page.locator('.tf-msg[data-state="sent"]', { hasText: 'Here it is' });
    await sent.locator('.tf-att__thumb img').waitFor();
    await loaded(page, '.tf-att__thumb img');
    await sent.locator('.tf-att__thumb').click();
    const viewer = page.getByRole('dialog', { name: 'burger.jpg' });
    await loaded(page, '.tf-att__view img');
    // The orientation was applied on upload: the sideways 80 × 40 photo is now 40 × 80.
    expect(await viewer.locator('img').evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([40, 80]);
    await viewer.getByRole('button', { name: 'Close' }).click();

    await phone.setOffline(true);
    await page.locator('.tf-conn--offline').waitFor();
    await page.getByLabel('Attach a photo or a PDF').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: await sharp({ create: { width: 30, height: 60, channels: 3, background: '#ffffff' } }).png().toBuffer() });
    // A photo alone: the message's text is the file's name.
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.locator('.tf-msg[data-state="pending"]', { hasText: 'receipt.png' }).waitFor();
    await phone.setOffline(false);
    await page.locator('.tf-msg[data-state="sent"]', { hasText: 'receipt.png' }).locator('.tf-att__thumb img').waitFor();
    const { rows } = await srv.db.query<{ name: string; linked: boolean }>(
      'SELECT name, message_id IS NOT NULL AS linked FROM attachments WHERE request_id = $1 ORDER BY created_at',
      [id],
    );
    expect(rows).toEqual([
      { name: 'burger.jpg', linked: true },
      { name: 'receipt.png', linked: true },
    ]);

    const desk = await browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 900 } });
    const staff = await desk.newPage();
    await logIn(staff, srv.url, agent);
    await staff.goto(`${srv.url}/agent/tickets/${id}`);
    await staff.locator('.message-attachments img.attachment-thumb').nth(1).waitFor();
    expect(await staff.locator('.message-attachments img.attachment-thumb').count()).toBe(2);
    await loaded(staff, 'img.attachment-thumb');
    await staff.locator('#reply-files').setInputFiles({ name: 'voucher.pdf', mimeType: 'application/pdf', buffer: PDF });
    await staff.locator('.file-chip[data-state="ready"]', { hasText: 'voucher.pdf' }).waitFor();
    await staff.getByLabel('Your reply').fill('Sorry! Here is a voucher.');
    await staff.getByRole('button', { name: 'Send', exact: true }).click();
    await staff.locator('.message-agent .file-chip', { hasText: 'voucher.pdf' }).waitFor();

    const chip = page.locator('.tf-msg[data-author="agent"] .tf-att__file', { hasText: 'voucher.pdf' });
    await chip.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), chip.click()]);
    expect(download.suggestedFilename()).toBe('voucher.pdf');
    await desk.close();
    await phone.close();
  });
});
