/**
 * The chatbot's cost per question, in process: askBot (language + intent + FAQ-key model + full-text
 * query on PGlite) against a baseline of the full-text query alone, on the labelled texts.
 * Also the start-up training time. Bounded to ~20 s of measuring.
 */
import { performance } from 'node:perf_hooks';
import { migrate } from '../src/server/db/migrate.ts';
import { PgliteDb } from '../src/server/db/pglite.ts';
import { readLabelled, shippedTrainingData, trainBotModel } from '../src/server/modules/bot/bot-model.ts';
import { askBot } from '../src/server/modules/bot/bot.service.ts';
import { searchFaqRows } from '../src/server/modules/faq/faq.repo.ts';
import { seedFaq } from '../src/server/modules/faq/faq.service.ts';
import type { Lang } from '../src/contracts/common.ts';

const out = (line: string) => process.stdout.write(`${line}\n`);
const pct = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

const db = await PgliteDb.open();
await migrate(db);
await seedFaq(db);

const t0 = performance.now();
const model = trainBotModel(shippedTrainingData());
out(`training: ${(performance.now() - t0).toFixed(0)} ms`);

const texts: { text: string; lang: Lang }[] = [];
for (const split of ['dev', 'heldout'] as const) {
  const { messages, faqQuestions } = readLabelled(split);
  for (const m of messages) texts.push({ text: m.text, lang: m.lang ?? 'fr' });
  for (const q of faqQuestions) texts.push(q);
}

async function measure(name: string, fn: (t: { text: string; lang: Lang }) => Promise<unknown>, budgetMs: number) {
  for (const t of texts.slice(0, 50)) await fn(t); // warm-up
  const times: number[] = [];
  const end = performance.now() + budgetMs;
  while (performance.now() < end) {
    for (const t of texts) {
      const s = performance.now();
      await fn(t);
      times.push(performance.now() - s);
    }
  }
  out(`${name.padEnd(28)} n=${times.length}  p50 ${pct(times, 50).toFixed(2)} ms  p95 ${pct(times, 95).toFixed(2)} ms  p99 ${pct(times, 99).toFixed(2)} ms`);
  return times;
}

const base = await measure('baseline: FTS query only', (t) => searchFaqRows(db, t.lang, t.text), 8_000);
const full = await measure('askBot (whole pipeline)', (t) => askBot({ db, text: t.text, model }), 12_000);
out(`ratio p50 ${(pct(full, 50) / pct(base, 50)).toFixed(2)}x  p95 ${(pct(full, 95) / pct(base, 95)).toFixed(2)}x (askBot / FTS alone)`);
await db.close();
