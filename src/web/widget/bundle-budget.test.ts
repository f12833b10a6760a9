import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_LANGS } from '../lib/i18n.ts';

/** Budgets of the issue: the loader on every page of the restaurant's site, the chat when opened. */
export const LOADER_BUDGET_GZIP = 10 * 1024;
export const WIDGET_BUDGET_GZIP = 60 * 1024;

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let outDir = '';

const gz = async (file: string) => gzipSync(await readFile(file), { level: 9 }).length;

/**
 * Every JavaScript file a customer's browser can load for the chat: the entry scripts and module
 * preloads of index.html, then every chunk they import, statically or dynamically (counted even if
 * not loaded, so the figure is an upper bound).
 */
async function chatScripts(dir: string): Promise<string[]> {
  const html = await readFile(join(dir, 'index.html'), 'utf8');
  const queue = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const seen = new Set<string>();
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = await readFile(join(dir, file), 'utf8');
    for (const m of code.matchAll(/["'`](?:\.\/|\/?assets\/)([\w.-]+\.js)["'`]/g)) queue.push(`assets/${m[1]}`);
  }
  return [...seen];
}

// Not a database test: it runs once, in the PGlite project.
describe.skipIf(process.env.TEST_DB === 'postgres')('bundle budgets of the production build', () => {
  beforeAll(async () => {
    // Vitest runs with NODE_ENV=test, which Vite would keep, building the libraries' development code.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    const { build } = await import('vite');
    outDir = await mkdtemp(join(tmpdir(), 'tf-widget-build-'));
    const quiet = { logLevel: 'silent' as const };
    await build({ ...quiet, configFile: join(ROOT, 'vite.config.ts'), build: { outDir, emptyOutDir: true } });
    await build({ ...quiet, configFile: join(ROOT, 'vite.loader.config.ts'), build: { outDir, emptyOutDir: false } });
    process.env.NODE_ENV = nodeEnv;
  }, 180_000);
  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('keeps the embed loader (/widget.js) under 10 KB gzipped', async () => {
    const size = await gz(join(outDir, 'widget.js'));
    process.stdout.write(`loader widget.js: ${size} B gzipped\n`);
    expect(size).toBeLessThanOrEqual(LOADER_BUDGET_GZIP);
  });

  /**
   * What a conversation loads: the loader, every chat chunk (upper bound, as above) except the texts,
   * which come per language: `assets/widget-locale-<lang>-[hash].js` (main.tsx imports only the language
   * shown, another one only if the customer switches) and the locale files it imports that got a chunk of
   * their own because the staff pages share them (`assets/locale-<lang>-common-[hash].js`); names set in
   * vite.config.ts. Of the languages only the largest counts. The test fails unless it finds a widget
   * locale chunk for each language exactly once, so that a renamed or merged chunk cannot make it count
   * nothing (nor count a language's texts twice as "shared" code).
   */
  it('keeps the whole widget for a conversation (loader + every chat chunk, one language) under 60 KB gzipped', async () => {
    const files = await chatScripts(outDir);
    expect(files.length).toBeGreaterThan(0);
    const sizes = await Promise.all(files.map(async (f) => [f, await gz(join(outDir, f))] as const));
    const widgetLocaleOf = (f: string) => /^assets\/widget-locale-([a-z]+)-[\w-]+\.js$/.exec(f)?.[1];
    const localeOf = (f: string) => widgetLocaleOf(f) ?? /^assets\/locale-([a-z]+)-[\w-]+\.js$/.exec(f)?.[1];
    expect(files.map(widgetLocaleOf).filter(Boolean).sort()).toEqual([...WEB_LANGS].sort());
    const byLang = new Map<string, number>();
    for (const [f, n] of sizes) {
      const lang = localeOf(f);
      if (lang) byLang.set(lang, (byLang.get(lang) ?? 0) + n);
    }
    expect([...byLang.keys()].sort()).toEqual([...WEB_LANGS].sort());
    const largestLocale = Math.max(...byLang.values());
    const shared = sizes.filter(([f]) => localeOf(f) === undefined);
    const total = (await gz(join(outDir, 'widget.js'))) + shared.reduce((s, [, n]) => s + n, 0) + largestLocale;
    process.stdout.write(`chat chunks: ${JSON.stringify(Object.fromEntries(sizes))}; per language: ${JSON.stringify(Object.fromEntries(byLang))}; total with loader and one language: ${total} B gzipped\n`);
    expect(total).toBeLessThanOrEqual(WIDGET_BUDGET_GZIP);
  });
});
