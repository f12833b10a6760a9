import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/**
 * The machine's Chromium (apt package), headless, without background traffic. `crossOriginLoopback`
 * lets a page of one loopback origin load from another (a host page embedding the widget, both on this
 * machine): Chromium's Local Network Access otherwise asks a permission nobody can grant headless. On the
 * internet both sites are public and the check does not apply.
 */
export function launchBrowser(options: { crossOriginLoopback?: boolean } = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: browserArgs(options) });
}

function browserArgs(options: { crossOriginLoopback?: boolean }): string[] {
  return [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
    ...(options.crossOriginLoopback ? ['--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessRespectPreflightResults,BlockInsecurePrivateNetworkRequests'] : []),
  ];
}

/**
 * A browser (one persistent context, in a new profile) that refuses storage to `site` whenever it is
 * embedded in a page of `embeddedIn`, as when a customer blocks third-party storage: in such an iframe
 * reading localStorage throws a SecurityError and `indexedDB.open` fails ("The user denied permission
 * to access the database"). Pages of `site` opened directly keep their storage. Set through the
 * profile's cookie content setting (site, top-level site), which also governs storage: recent Chromium
 * only partitions third-party storage when third-party cookies are blocked, and no launch flag or
 * DevTools call blocks it. Patterns: `http://127.0.0.1:*`, `http://localhost:*`.
 */
export async function launchRefusingStorage(site: string, embeddedIn: string): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), 'tf-chromium-profile-'));
  await mkdir(join(profile, 'Default'));
  const preferences = { profile: { content_settings: { exceptions: { cookies: { [`${site},${embeddedIn}`]: { setting: CONTENT_SETTING_BLOCK } } } } } };
  await writeFile(join(profile, 'Default', 'Preferences'), JSON.stringify(preferences));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: browserArgs({ crossOriginLoopback: true }), locale: 'en-US' });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
/** Chromium's ContentSetting value for "block". */
const CONTENT_SETTING_BLOCK = 2;

/** Runs axe-core in the page; returns the serious and critical violations (id, impact, targets). */
export async function seriousA11yViolations(page: Page, context?: string): Promise<{ id: string; impact: string | null; help: string; targets: string[] }[]> {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const axePath = require.resolve('axe-core/axe.min.js');
  const hasAxe = await page.evaluate(() => 'axe' in window);
  // Evaluated through the DevTools protocol, not as a <script>: the pages' strict CSP forbids inline scripts.
  if (!hasAxe) await page.evaluate(await readFile(axePath, 'utf8'));
  const results = await page.evaluate(async (ctx) => {
    const axe = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(ctx ?? document, { resultTypes: ['violations'] });
  }, context ?? null);
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/** Fails with axe's report when the page has a serious or critical accessibility violation. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const violations = await seriousA11yViolations(page);
  expect(violations, `axe on ${what}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** Signs `who` in through the dashboard's login form (`baseUrl`/agent); returns once signed in. */
export async function logIn(page: Page, baseUrl: string, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/agent`);
  await page.getByLabel('E-mail address').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export type { Browser, BrowserContext, Frame, Page };

/** Opens the customer chat at `baseUrl` and sends the contact form (the journeys' way to open a ticket). */
export async function sendContactForm(page: Page, baseUrl: string, email: string, message: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('button', { name: 'Open the help menu' }).click();
  await page.getByRole('button', { name: /Contact support/ }).click();
  await page.getByLabel('Your e-mail').fill(email);
  await page.getByLabel('Your message').fill(message);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}
