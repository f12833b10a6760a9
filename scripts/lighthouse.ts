/**
 * Lighthouse performance score of a plain page, with and without the embedded widget (issue 7).
 *
 *   npm run build && npx tsx scripts/lighthouse.ts [runs=3]
 *
 * Starts the app (embedded database in memory, FAQ seeded) on a loopback port and a tiny "restaurant"
 * site on another, whose page exists twice: as is, and with `<script src="<app>/widget.js" async>`.
 * Lighthouse 12 (default mobile profile, simulated throttling) runs on each `runs` times in the machine's
 * Chromium (CHROME_PATH, default /usr/bin/chromium); the median score and metrics are printed.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { PgliteDb } from '../src/server/db/pglite.ts';
import { seedFaq } from '../src/server/modules/faq/faq.service.ts';
import { WEB_DIST_DIR } from '../src/server/modules/web/web.routes.ts';

const RUNS = Math.max(1, Number(process.argv[2] ?? 3));

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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  if (!existsSync(`${WEB_DIST_DIR}widget.js`)) throw new Error('dist/web/widget.js is missing: run npm run build first');
  const site = createServer();
  const sitePort = await listen(site);
  const siteOrigin = `http://127.0.0.1:${sitePort}`;

  const db = await PgliteDb.open();
  await migrate(db);
  await seedFaq(db);
  const config = { ...loadConfig({ PORT: '0', DEMO_DATA: 'false', LOG_LEVEL: 'silent' }), allowedOrigins: [siteOrigin] };
  const app = await buildApp({ db, config });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const appUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  site.on('request', (req, res) => {
    const withWidget = req.url === '/with-widget.html';
    if (req.url !== '/plain.html' && !withWidget) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(hostPage(withWidget ? `<script src="${appUrl}/widget.js" async></script>` : ''));
  });

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
  const results: Record<string, Series> = {};
  try {
    for (const page of ['plain.html', 'with-widget.html']) {
      const r: Series = { score: [], fcp: [], lcp: [], tbt: [], cls: [], bytes: [] };
      results[page] = r;
      for (let i = 0; i < RUNS; i++) {
        const out = await lighthouse(`${siteOrigin}/${page}`, { port: chrome.port, output: 'json', onlyCategories: ['performance'], logLevel: 'error' });
        if (!out) throw new Error('lighthouse returned nothing');
        const { lhr } = out;
        const audit = (id: string) => Number(lhr.audits[id]?.numericValue ?? NaN);
        r.score.push(Math.round((lhr.categories.performance?.score ?? 0) * 100));
        r.fcp.push(audit('first-contentful-paint'));
        r.lcp.push(audit('largest-contentful-paint'));
        r.tbt.push(audit('total-blocking-time'));
        r.cls.push(audit('cumulative-layout-shift'));
        r.bytes.push(audit('total-byte-weight'));
      }
    }
  } finally {
    await chrome.kill();
    await app.close();
    await db.close();
    site.close();
  }
  process.stdout.write(`Lighthouse ${RUNS} run(s) each, median (mobile profile, simulated throttling):\n`);
  for (const [page, r] of Object.entries(results)) {
    process.stdout.write(
      `  ${page.padEnd(18)} score ${median(r.score)}  FCP ${Math.round(median(r.fcp))} ms  LCP ${Math.round(median(r.lcp))} ms  TBT ${Math.round(median(r.tbt))} ms  CLS ${median(r.cls).toFixed(3)}  bytes ${median(r.bytes)}  (scores: ${r.score.join(', ')})\n`,
    );
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
