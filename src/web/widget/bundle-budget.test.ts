import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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

  it('keeps the whole widget for a conversation (loader + every chat chunk) under 60 KB gzipped', async () => {
    const files = await chatScripts(outDir);
    expect(files.length).toBeGreaterThan(0);
    const sizes = await Promise.all(files.map(async (f) => [f, await gz(join(outDir, f))] as const));
    const total = (await gz(join(outDir, 'widget.js'))) + sizes.reduce((s, [, n]) => s + n, 0);
    process.stdout.write(`chat chunks: ${JSON.stringify(Object.fromEntries(sizes))}; total with loader: ${total} B gzipped\n`);
    expect(total).toBeLessThanOrEqual(WIDGET_BUDGET_GZIP);
  });
});
