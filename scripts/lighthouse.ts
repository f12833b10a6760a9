/**
 * Lighthouse performance of a plain page, with and without the embedded widget's loader (issues 7, 15).
 *
 *   npm run build && npx tsx scripts/lighthouse.ts [pairs=5] [--devtools]
 *   LOADERS=before:/tmp/old/widget.js,after:dist/web/widget.js npx tsx scripts/lighthouse.ts 5
 *
 * Starts the app (embedded database in memory, FAQ seeded) on a loopback port and a tiny "restaurant"
 * site on another, whose page exists as is and with `<script src="<app>/widget.js" async>`. Lighthouse 12
 * (default mobile profile: simulated throttling, 4× CPU slowdown; `--devtools` applies the throttling to
 * the real run instead) runs in the machine's Chromium (CHROME_PATH, default /usr/bin/chromium).
 *
 * The runs are interleaved: each round measures the plain page, then every variant, so a change in the
 * shared machine's load hits both sides of a pair alike. Printed: every round (with the load average),
 * then per page the median score and metrics, and per variant the median of the per-round additions of
 * total blocking time (variant − plain page of the same round).
 *
 * `--cpu` measures instead what the shared machine's load cannot inflate: each page is opened in Chromium
 * (playwright-core) with a DevTools trace for 8 s (the loader's idle work included), and the renderer
 * main thread's tasks are summed by their CPU time (`tdur`), not their wall time: `cpu` is the total,
 * `tbt×4` is a blocking time estimated as Lighthouse's mobile profile does (each task 4× slower, the part
 * over 50 ms counted). Printed per variant: the median over rounds of the addition to the plain page.
 *
 * `LOADERS=name:path,...` compares several builds of the loader in the same rounds (each served by the
 * app at `/lighthouse/<name>/widget.js`, so from the app's origin like the real one); without it the one
 * variant is `widget`, the build in dist/web. `LH_JSON_DIR=<dir>` also writes every report there
 * (`<round>-<page>.json`), to read which tasks blocked the main thread.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { loadavg } from 'node:os';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { PgliteDb } from '../src/server/db/pglite.ts';
import { seedFaq } from '../src/server/modules/faq/faq.service.ts';
import { WEB_DIST_DIR } from '../src/server/modules/web/web.routes.ts';

const args = process.argv.slice(2);
const DEVTOOLS = args.includes('--devtools');
const CPU = args.includes('--cpu');
const CPU_TRACE_MS = 8000;
const PAIRS = Math.max(1, Number(args.find((a) => /^\d+$/.test(a)) ?? 5));

const hostPage = (widgetTag: string) => `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tasty Food – Restaurant</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1f2937}header{background:#a4161a;color:#fff;padding:24px}
main{max-width:720px;margin:0 auto;padding:24px}.card{border:1px solid #d1d5db;border-radius:12px;padding:16px;margin:12px 0}</style></head>
<body><header><h1>Tasty Food</h1><p>Burgers, poulet croustillant, livraison à Bruxelles.</p></header>
<main>${Array.from({ length: 8 }, (_, i) => `<section class="card"><h2>Menu ${i + 1}</h2><p>Un menu généreux, 100% HALAL, préparé à la commande et livré chaud en moins de 40 minutes.</p></section>`).join('')}</main>
${widgetTag}</body></html>`;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** The loader builds to compare: name → file. */
function loaders(): Map<string, string> {
  const spec = process.env.LOADERS;
  if (!spec) {
    if (!existsSync(`${WEB_DIST_DIR}widget.js`)) throw new Error('dist/web/widget.js is missing: run npm run build first');
    return new Map([['widget', `${WEB_DIST_DIR}widget.js`]]);
  }
  const out = new Map<string, string>();
  for (const part of spec.split(',')) {
    const [name, path] = [part.slice(0, part.indexOf(':')), part.slice(part.indexOf(':') + 1)];
    if (!/^[\w-]+$/.test(name) || !existsSync(path)) throw new Error(`LOADERS: "${part}" is not name:existing-file`);
    out.set(name, path);
  }
  return out;
}

type TraceEvent = { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { name?: string; data?: { url?: string } } };

/** CPU time of the renderer main thread's tasks during CPU_TRACE_MS after navigating to `url`. */
async function cpuOf(browser: import('playwright-core').Browser, url: string): Promise<{ cpu: number; tbt4: number }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  await page.goto(url);
  await page.waitForTimeout(CPU_TRACE_MS);
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await complete;
  await context.close();
  // The page's main thread: where its document was parsed.
  const parse = events.find((e) => e.name === 'ParseHTML');
  if (!parse) throw new Error(`no ParseHTML event for ${url}`);
  const tasks = events.filter((e) => e.pid === parse.pid && e.tid === parse.tid && e.ph === 'X' && e.name === 'RunTask');
  let cpu = 0;
  let tbt4 = 0;
  for (const t of tasks) {
    const ms = (t.tdur ?? 0) / 1000;
    cpu += ms;
    tbt4 += Math.max(0, 4 * ms - 50);
  }
  return { cpu, tbt4 };
}

async function cpuRounds(pages: string[], pageUrl: (page: string) => string) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-features=LocalNetworkAccessChecks'],
  });
  const cpu = new Map<string, number[]>(pages.map((p) => [p, []]));
  const tbt4 = new Map<string, number[]>(pages.map((p) => [p, []]));
  const loads: number[] = [];
  process.stdout.write(`Main-thread CPU time, ${PAIRS} interleaved round(s), ${CPU_TRACE_MS / 1000} s after navigation:\n`);
  try {
    for (let round = 0; round < PAIRS; round++) {
      loads.push(loadavg()[0]!);
      const line: string[] = [];
      for (const page of pages) {
        const r = await cpuOf(browser, pageUrl(page));
        cpu.get(page)!.push(r.cpu);
        tbt4.get(page)!.push(r.tbt4);
        line.push(`${page} cpu ${r.cpu.toFixed(1)} ms tbt×4 ${Math.round(r.tbt4)} ms`);
      }
      process.stdout.write(`  round ${round + 1} (load ${loads.at(-1)!.toFixed(1)}): ${line.join(', ')}\n`);
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(`Medians (load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}):\n`);
  for (const page of pages.slice(1)) {
    const addedCpu = cpu.get(page)!.map((c, i) => c - cpu.get('plain')![i]!);
    const addedTbt = tbt4.get(page)!.map((c, i) => c - tbt4.get('plain')![i]!);
    const ratio = cpu.get(page)!.map((c, i) => c / cpu.get('plain')![i]!);
    process.stdout.write(
      `  ${page}: CPU ratio to the plain page median ${median(ratio).toFixed(2)}; CPU added median ${median(addedCpu).toFixed(1)} ms (per round: ${addedCpu.map((a) => a.toFixed(1)).join(', ')}); tbt×4 added median ${Math.round(median(addedTbt))} ms (per round: ${addedTbt.map((a) => Math.round(a)).join(', ')})\n`,
    );
  }
}

async function main() {
  const variants = loaders();
  const site = createServer();
  const sitePort = await listen(site);
  const siteOrigin = `http://127.0.0.1:${sitePort}`;

  const db = await PgliteDb.open();
  await migrate(db);
  await seedFaq(db);
  const config = { ...loadConfig({ PORT: '0', DEMO_DATA: 'false', LOG_LEVEL: 'silent' }), allowedOrigins: [siteOrigin] };
  const app = await buildApp({ db, config });
  const custom = !!process.env.LOADERS;
  if (custom) {
    app.get<{ Params: { name: string } }>('/lighthouse/:name/widget.js', async (req, reply) => {
      const path = variants.get(req.params.name);
      if (!path) return reply.code(404).send();
      return reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(readFileSync(path));
    });
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const appUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const loaderUrl = (name: string) => (custom ? `${appUrl}/lighthouse/${name}/widget.js` : `${appUrl}/widget.js`);

  const pages = ['plain', ...variants.keys()];
  site.on('request', (req, res) => {
    const name = /^\/(plain|with-([\w-]+))\.html$/.exec(req.url ?? '');
    const variant = name?.[2];
    if (!name || (variant && !variants.has(variant))) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(hostPage(variant ? `<script src="${loaderUrl(variant)}" async></script>` : ''));
  });

  if (CPU) {
    try {
      await cpuRounds(pages, (page) => `${siteOrigin}/${page === 'plain' ? 'plain' : `with-${page}`}.html`);
    } finally {
      await app.close();
      await db.close();
      site.close();
    }
    return;
  }

  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    chromeFlags: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      // Both sites are on loopback here; on the internet they are public and this check does not apply.
      '--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessRespectPreflightResults,BlockInsecurePrivateNetworkRequests',
    ],
  });
  type Series = { score: number[]; fcp: number[]; lcp: number[]; tbt: number[]; cls: number[]; bytes: number[] };
  const results = new Map<string, Series>(pages.map((p) => [p, { score: [], fcp: [], lcp: [], tbt: [], cls: [], bytes: [] }]));
  const loads: number[] = [];
  process.stdout.write(
    `Lighthouse ${PAIRS} interleaved round(s), mobile profile, ${DEVTOOLS ? 'devtools (applied) throttling' : 'simulated throttling'}:\n`,
  );
  try {
    for (let round = 0; round < PAIRS; round++) {
      const load = loadavg()[0]!;
      loads.push(load);
      const line: string[] = [];
      for (const page of pages) {
        const url = `${siteOrigin}/${page === 'plain' ? 'plain' : `with-${page}`}.html`;
        const out = await lighthouse(
          url,
          { port: chrome.port, output: 'json', onlyCategories: ['performance'], logLevel: 'error' },
          DEVTOOLS ? { extends: 'lighthouse:default', settings: { throttlingMethod: 'devtools' } } : undefined,
        );
        if (!out) throw new Error('lighthouse returned nothing');
        const { lhr } = out;
        if (process.env.LH_JSON_DIR) {
          mkdirSync(process.env.LH_JSON_DIR, { recursive: true });
          writeFileSync(`${process.env.LH_JSON_DIR}/${round + 1}-${page}.json`, JSON.stringify(lhr));
        }
        const audit = (id: string) => Number(lhr.audits[id]?.numericValue ?? NaN);
        const r = results.get(page)!;
        r.score.push(Math.round((lhr.categories.performance?.score ?? 0) * 100));
        r.fcp.push(audit('first-contentful-paint'));
        r.lcp.push(audit('largest-contentful-paint'));
        r.tbt.push(audit('total-blocking-time'));
        r.cls.push(audit('cumulative-layout-shift'));
        r.bytes.push(audit('total-byte-weight'));
        line.push(`${page} TBT ${Math.round(audit('total-blocking-time'))} ms`);
      }
      process.stdout.write(`  round ${round + 1} (load ${load.toFixed(1)}): ${line.join(', ')}\n`);
    }
  } finally {
    await chrome.kill();
    await app.close();
    await db.close();
    site.close();
  }
  process.stdout.write(`Medians (load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}):\n`);
  for (const [page, r] of results) {
    process.stdout.write(
      `  ${page.padEnd(10)} score ${median(r.score)}  FCP ${Math.round(median(r.fcp))} ms  LCP ${Math.round(median(r.lcp))} ms  TBT ${Math.round(median(r.tbt))} ms  CLS ${median(r.cls).toFixed(3)}  bytes ${median(r.bytes)}  (scores: ${r.score.join(', ')})\n`,
    );
  }
  const plain = results.get('plain')!.tbt;
  for (const page of variants.keys()) {
    const added = results.get(page)!.tbt.map((t, i) => t - plain[i]!);
    process.stdout.write(
      `  TBT added by ${page}: median ${Math.round(median(added))} ms (per round: ${added.map((a) => Math.round(a)).join(', ')})\n`,
    );
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
