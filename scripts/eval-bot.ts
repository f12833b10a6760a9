/**
 * npm run eval:bot — the chatbot's figures on its labelled data: dev (5-fold cross-validation) and
 * held-out (never used for training or tuning). Runs on an in-memory PGlite with the shipped FAQ.
 * `--errors` also lists every mistake; `--dev-only` skips the held-out split (use it while tuning).
 */
import { performance } from 'node:perf_hooks';
import { INTENTS } from '../src/contracts/tickets.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { PgliteDb } from '../src/server/db/pglite.ts';
import { getBotModel } from '../src/server/modules/bot/bot-model.ts';
import { evaluateCustomersHeldOut, evaluateDevCrossValidated, evaluateHeldOut, type EvalReport } from '../src/server/modules/bot/evaluate.ts';
import { seedFaq } from '../src/server/modules/faq/faq.service.ts';

const showErrors = process.argv.includes('--errors');
const devOnly = process.argv.includes('--dev-only');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const out = (line = '') => process.stdout.write(`${line}\n`);

function print(title: string, r: EvalReport) {
  out(`\n=== ${title} (${r.messages} messages, ${r.faqQuestions} FAQ questions) ===`);
  out(`language accuracy   ${pct(r.language.accuracy)}  (${r.language.n} texts with a language)`);
  out(`intent accuracy     ${pct(r.intent.accuracy)}`);
  out(`intent macro-F1     ${r.intent.macroF1.toFixed(3)}`);
  out(`FAQ hit@1           ${pct(r.faq.hit1)}   (full-text only ${pct(r.faq.ftsOnly.hit1)}, model only ${pct(r.faq.modelOnly.hit1)})`);
  out(`FAQ hit@3           ${pct(r.faq.hit3)}   (full-text only ${pct(r.faq.ftsOnly.hit3)}, model only ${pct(r.faq.modelOnly.hit3)})`);
  out(`FAQ hit@1 / hit@3 among the answers the API returns  ${pct(r.faq.served.hit1)} / ${pct(r.faq.served.hit3)}`);
  out(`FAQ answered w/o escalation (right key, above the bar)  ${pct(r.faq.answered)}`);
  out(`latency per question  p50 ${r.latencyMs.p50.toFixed(2)} ms  p95 ${r.latencyMs.p95.toFixed(2)} ms  max ${r.latencyMs.max.toFixed(2)} ms`);
  const short = (s: string) => s.slice(0, 6).padStart(7);
  out('\nconfusion (rows: actual, columns: predicted)');
  out(`${''.padEnd(16)}${INTENTS.map(short).join('')}   P     R     F1`);
  for (const a of INTENTS) {
    const m = r.intent.perIntent[a];
    out(
      `${a.padEnd(16)}${INTENTS.map((p) => String(r.intent.confusion[a][p]).padStart(7)).join('')}` +
        `   ${m.precision.toFixed(2)}  ${m.recall.toFixed(2)}  ${m.f1.toFixed(2)}`,
    );
  }
  if (showErrors) {
    out('\nlanguage errors:');
    for (const e of r.language.errors) out(`  [${e.expected}→${e.got}] ${e.text}`);
    out('intent errors:');
    for (const e of r.intent.errors) out(`  [${e.expected}→${e.got}] ${e.text}`);
    out('FAQ errors (top 3):');
    for (const e of r.faq.errors) out(`  [${e.expected}→${e.got.join(',')}] ${e.text}`);
  }
}

const db = await PgliteDb.open();
await migrate(db);
await seedFaq(db);

const t0 = performance.now();
getBotModel(); // trained once here (timed), then reused by evaluateHeldOut
out(`training the shipped model (dev split + FAQ content): ${(performance.now() - t0).toFixed(0)} ms`);

if (!process.argv.includes('--held-out-only')) print('dev, 5-fold cross-validation', await evaluateDevCrossValidated(db));
if (!devOnly) {
  print('held-out (never trained or tuned on)', await evaluateHeldOut(db));
  print('customers held-out (as customers type; never trained or tuned on)', await evaluateCustomersHeldOut(db));
}
await db.close();
