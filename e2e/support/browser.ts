import { readFile } from 'node:fs/promises';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/**
 * The machine's Chromium (apt package), headless, without background traffic. `crossOriginLoopback`
 * lets a page of one loopback origin load from another (a host page embedding the widget, both on this
 * machine): Chromium's Local Network Access otherwise asks a permission nobody can grant headless. On the
 * internet both sites are public and the check does not apply.
 */
export function launchBrowser(options: { crossOriginLoopback?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      ...(options.crossOriginLoopback ? ['--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessRespectPreflightResults,BlockInsecurePrivateNetworkRequests'] : []),
    ],
  });
}

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

export type { Browser, BrowserContext, Page };
