/**
 * Chooses the FAQ ranking knobs (RANKING in bot.service.ts, FAQ_KEY_PARAMS in bot-model.ts) by 5-fold
 * cross-validation on the DEV split only: the full-text rank of every dev question is computed once,
 * the FAQ-key model is trained per fold, then every combination of knobs is scored by hit@1 / hit@3.
 * Never reads the held-out split. `npx tsx scripts/tune-bot-ranking.ts`
 */
import { LANGS } from '../src/contracts/common.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { PgliteDb } from '../src/server/db/pglite.ts';
import { FAQ_KEY_PARAMS, readLabelled, readTrainingOnly, trainFaqKeyModel, type FaqKeyScores } from '../src/server/modules/bot/bot-model.ts';
import { RANKING, combineFaqScores } from '../src/server/modules/bot/bot.service.ts';
import { loadFaqContent } from '../src/server/modules/faq/faq-content.ts';
import { searchFaqRows, type FaqSearchRow } from '../src/server/modules/faq/faq.repo.ts';
import { seedFaq } from '../src/server/modules/faq/faq.service.ts';

const out = (line = '') => process.stdout.write(`${line}\n`);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const FOLDS = 5;

const db = await PgliteDb.open();
await migrate(db);
await seedFaq(db);
const dev = readLabelled('dev');
/** Training-only questions (never scored): in every fold's training. */
const { extraFaqQuestions } = readTrainingOnly();
const faqContent = loadFaqContent();
const rows: FaqSearchRow[][] = [];
for (const q of dev.faqQuestions) rows.push(await searchFaqRows(db, q.lang, q.text));

type KeyParams = typeof FAQ_KEY_PARAMS;

/** Per dev question, the key probabilities of a model that never saw it. */
function crossValidatedProbs(params: KeyParams): FaqKeyScores[] {
  const probs: FaqKeyScores[] = new Array(dev.faqQuestions.length);
  for (let f = 0; f < FOLDS; f++) {
    const model = trainFaqKeyModel({ faqQuestions: dev.faqQuestions.filter((_, i) => i % FOLDS !== f), extraFaqQuestions, faqContent }, params);
    dev.faqQuestions.forEach((q, i) => {
      if (i % FOLDS !== f) return;
      probs[i] = model.scores(q.text);
    });
  }
  return probs;
}

/** `from`: score only the dev questions from that line on (the later ones were written after the phrasings). */
const FROM = Number(process.env.FROM ?? 0);
const SHOW_ERRORS = process.argv.includes('--errors');

function score(probs: FaqKeyScores[], ranking: typeof RANKING, showErrors = false) {
  let h1 = 0;
  let h3 = 0;
  let n = 0;
  dev.faqQuestions.forEach((q, i) => {
    if (i < FROM) return;
    n++;
    const ranked = combineFaqScores(rows[i]!, probs[i]!, ranking).map((r) => r.key);
    if (ranked[0] === q.key) h1++;
    else if (showErrors) out(`  [${q.key}→${ranked.slice(0, 3).join(',')}] ${q.text}`);
    if (ranked.slice(0, 3).includes(q.key)) h3++;
  });
  return { h1: h1 / n, h3: h3 / n };
}

function bestRanking(probs: FaqKeyScores[]) {
  let best = { ranking: RANKING, h1: 0, h3: 0 };
  for (const modelWeight of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]) {
    for (const ftsHalf of [0.05, 0.1, 0.2, 0.4]) {
      const ranking = { ...RANKING, modelWeight, ftsHalf };
      const s = score(probs, ranking);
      if (s.h1 + s.h3 > best.h1 + best.h3) best = { ranking, ...s };
    }
  }
  return best;
}

out(`dev FAQ questions: ${dev.faqQuestions.length} (${LANGS.join(', ')}), scored from line ${FROM}`);
const current = crossValidatedProbs(FAQ_KEY_PARAMS);
const now = score(current, RANKING, SHOW_ERRORS);
out(`current knobs: hit@1 ${pct(now.h1)} hit@3 ${pct(now.h3)}`);
for (const [sureModel, unknownWords] of [[0.1, 0], [0.1, 0.5], [0.1, 1], [0.1, 2], [0.3, 1], [0.5, 0], [0.5, 1]] as const) {
  for (const modelWeight of [0.7, 0.8, 0.9, 0.95]) {
    const line = [0.05, 0.1, 0.2].map((ftsHalf) => {
      const s = score(current, { ...RANKING, modelWeight, ftsHalf, sureModel, unknownWords });
      return `ftsHalf ${ftsHalf}: ${pct(s.h1)}/${pct(s.h3)}`;
    });
    out(`sureModel ${sureModel} unknownWords ${unknownWords} modelWeight ${modelWeight}  ${line.join('  ')}`);
  }
}
if (process.argv.includes('--grid-only')) {
  await db.close();
  process.exit(0);
}
const variants: [string, Partial<KeyParams>][] = [
  ['as shipped', {}],
  ['no idf', { idf: 0 }],
  ['answers 0.5', { answerWeight: 0.5 }],
  ['epochs 30', { epochs: 30 }],
  ['questions 2', { questionWeight: 2 }],
  ['l2 3e-5', { l2: 3e-5 }],
];
for (const [name, v] of variants) {
  const probs = crossValidatedProbs({ ...FAQ_KEY_PARAMS, ...v });
  const b = bestRanking(probs);
  const modelOnly = score(probs, { ...RANKING, modelWeight: 1 });
  out(
    `${name.padEnd(16)} model only ${pct(modelOnly.h1)}/${pct(modelOnly.h3)}  best combo ${pct(b.h1)}/${pct(b.h3)} ` +
      `(modelWeight ${b.ranking.modelWeight}, ftsHalf ${b.ranking.ftsHalf})`,
  );
}

// The escalation bars on the chosen knobs: how often a right top answer clears `goodEnough`, and how
// often a message that is not an FAQ question (dev messages of other intents) would get an answer.
{
  const probs = current;
  const tops: number[] = [];
  dev.faqQuestions.forEach((q, i) => {
    const top = combineFaqScores(rows[i]!, probs[i]!, RANKING)[0]!;
    if (top.key === q.key) tops.push(top.score);
  });
  const others = dev.messages.filter((m) => m.intent !== 'faq' && m.lang);
  const model = trainFaqKeyModel({ faqQuestions: dev.faqQuestions, extraFaqQuestions, faqContent });
  const otherTops: number[] = [];
  for (const m of others) otherTops.push(combineFaqScores(await searchFaqRows(db, m.lang!, m.text), model.scores(m.text), RANKING)[0]!.score);
  for (const bar of [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.55, 0.65]) {
    out(
      `bar ${bar}: right top answers above ${pct(tops.filter((s) => s >= bar).length / tops.length)}, ` +
        `non-FAQ messages above ${pct(otherTops.filter((s) => s >= bar).length / otherTops.length)}`,
    );
  }
}
await db.close();
