import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dashboardNl from '../locales/nl/dashboard.json';
import widgetEn from '../locales/en/widget.json';
import { launchBrowser, type Browser } from './support/browser.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const WEB = join(ROOT, 'src/web');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

type IndexEntry = { type: 'story' | 'docs'; id: string; title: string; importPath: string; exportName?: string };

function storyFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? storyFiles(join(dir, e.name)) : e.name.endsWith('.stories.tsx') ? [join(dir, e.name)] : [],
  );
}

/** A static server for the build, on the loopback (what `npx http-server storybook-static` would do). */
function serveStatic(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    // The preview page links no icon, so the browser asks for /favicon.ico; the build has none.
    if (req.url === '/favicon.ico') return void res.writeHead(204).end();
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '') || 'index.html';
    const file = join(dir, path);
    if (relative(dir, file).startsWith('..')) return void res.writeHead(403).end();
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
    }),
  );
}

/**
 * Storybook's own build (`storybook build --test`: the static site without the docs pages, ~25 s here)
 * must index every story file, and its pages must render the stories in a real browser, in the language
 * the toolbar's global asks for. The stories' content is checked story by story, in each language, by
 * src/web/{widget,dashboard}/stories.test.tsx.
 */
describe('Storybook static build', () => {
  let outDir = '';
  let site: { server: Server; url: string } | null = null;
  let browser: Browser | null = null;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'storybook-static-'));
    const res = spawnSync('npx', ['storybook', 'build', '--test', '--quiet', '--disable-telemetry', '--output-dir', outDir], { cwd: ROOT, encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`storybook build failed:\n${res.stdout}\n${res.stderr}`);
    site = await serveStatic(outDir);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.server.close(resolve));
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('indexes every story file of src/web and every story it exports', () => {
    const index = JSON.parse(readFileSync(join(outDir, 'index.json'), 'utf8')) as { entries: Record<string, IndexEntry> };
    const stories = Object.values(index.entries).filter((e) => e.type === 'story');
    const files = storyFiles(WEB);
    expect(files.length).toBeGreaterThanOrEqual(20);
    for (const file of files) {
      const importPath = `./${relative(ROOT, file)}`;
      const indexed = stories.filter((e) => e.importPath === importPath).map((e) => e.exportName);
      const exported = [...readFileSync(file, 'utf8').matchAll(/^export const (\w+)/gm)].map((m) => m[1]);
      expect(indexed.sort(), importPath).toEqual(exported.sort());
    }
  });

  it('renders a widget story and a dashboard story in Chromium, in the language global, without console errors', async () => {
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
    const open = async (id: string, lang: string) => {
      await page.goto(`${site!.url}/iframe.html?id=${id}&viewMode=story&globals=lang:${lang}`);
      await page.waitForFunction(() => (document.querySelector('#storybook-root')?.textContent ?? '').length > 0);
      return page.evaluate(() => ({ text: document.querySelector('#storybook-root')!.textContent ?? '', lang: document.documentElement.lang }));
    };

    const widget = await open('widget-helpmenu--default', 'en');
    expect(widget.lang).toBe('en');
    expect(widget.text).toContain(widgetEn.help.title);

    const dashboard = await open('dashboard-tickets-ticketpage--default', 'nl');
    expect(dashboard.lang).toBe('nl');
    expect(dashboard.text).toContain(dashboardNl.ticket.manage);
    expect(dashboard.text).toContain(dashboardNl.ticket.suggestions);

    expect(errors).toEqual([]);
    await page.close();
  });
});
