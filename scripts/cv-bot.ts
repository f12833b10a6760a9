/**
 * Chooses the intent model's knobs (MODEL_PARAMS, INTENT features) and checks the FAQ-key model by
 * repeated, stratified k-fold cross-validation on the DEV split only. Never reads the held-out split.
 * The training-only files (`labelled/*.train.jsonl`) and the cue phrases are in every fold's
 * training and never scored, so adding to them cannot inflate what is measured.
 *
 *   npx tsx scripts/cv-bot.ts            # the shipped knobs, then every variant below
 *   npx tsx scripts/cv-bot.ts --shipped  # the shipped knobs only
 *   npx tsx scripts/cv-bot.ts --errors   # also the dev texts the shipped knobs get wrong (first repeat)
 */
import { performance } from 'node:perf_hooks';
import { INTENTS } from '../src/contracts/tickets.ts';
import {
  classifyWithIntentModel,
  FAQ_KEY_PARAMS,
  MODEL_PARAMS,
  readIntentCues,
  readLabelled,
  readTrainingOnly,
  trainFaqKeyModel,
  trainIntentModel,
  type IntentParams,
  type LabelledFaqQuestion,
  type LabelledMessage,
} from '../src/server/modules/bot/bot-model.ts';
import { intentMetrics } from '../src/server/modules/bot/evaluate.ts';
import { loadFaqContent } from '../src/server/modules/faq/faq-content.ts';

const FOLDS = 5;
const REPEATS = Number(process.env.REPEATS ?? 3);
const out = (line = '') => process.stdout.write(`${line}\n`);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const dev = readLabelled('dev');
const extra = readTrainingOnly();
const intentCues = readIntentCues();
const faqContent = loadFaqContent();

/** Deterministic shuffle (mulberry32). */
function shuffled<T>(items: T[], seed: number): T[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** Fold of every item: shuffled with the seed, then dealt round-robin within each stratum. */
function foldsOf<T>(items: T[], stratum: (x: T) => string, seed: number): number[] {
  const fold = new Array<number>(items.length);
  const seen = new Map<string, number>();
  for (const i of shuffled(items.map((_, i) => i), seed)) {
    const s = stratum(items[i]!);
    const n = seen.get(s) ?? 0;
    seen.set(s, n + 1);
    fold[i] = (n + seed) % FOLDS;
  }
  return fold;
}

const messageFolds = Array.from({ length: REPEATS }, (_, r) => foldsOf(dev.messages, (m) => `${m.intent}/${m.lang}`, r + 1));
const questionFolds = Array.from({ length: REPEATS }, (_, r) => foldsOf(dev.faqQuestions, (q) => `${q.key}/${q.lang}`, r + 1));

function intentCv(params: IntentParams, showErrors = false) {
  const pairs: { expected: (typeof INTENTS)[number]; got: (typeof INTENTS)[number] }[] = [];
  const errors: string[] = [];
  for (let r = 0; r < REPEATS; r++) {
    for (let f = 0; f < FOLDS; f++) {
      const model = trainIntentModel(
        {
          messages: dev.messages.filter((_, i) => messageFolds[r]![i] !== f),
          faqQuestions: dev.faqQuestions.filter((_, i) => questionFolds[r]![i] !== f),
          extraMessages: extra.extraMessages,
          extraFaqQuestions: extra.extraFaqQuestions,
          intentCues,
        },
        params,
      );
      dev.messages.forEach((m: LabelledMessage, i) => {
        if (messageFolds[r]![i] !== f) return;
        const got = classifyWithIntentModel(model, m.text, params).intent;
        pairs.push({ expected: m.intent, got });
        if (showErrors && r === 0 && got !== m.intent) errors.push(`  [${m.intent}→${got}] ${m.text}`);
      });
    }
  }
  if (showErrors) for (const e of errors) out(e);
  return intentMetrics(pairs);
}

function faqCv(params = FAQ_KEY_PARAMS) {
  let h1 = 0;
  let h3 = 0;
  let n = 0;
  for (let r = 0; r < REPEATS; r++) {
    for (let f = 0; f < FOLDS; f++) {
      const model = trainFaqKeyModel(
        {
          faqQuestions: dev.faqQuestions.filter((_, i) => questionFolds[r]![i] !== f),
          extraFaqQuestions: extra.extraFaqQuestions,
          faqContent,
        },
        params,
      );
      dev.faqQuestions.forEach((q: LabelledFaqQuestion, i) => {
        if (questionFolds[r]![i] !== f) return;
        const ranked = [...model.probs(q.text)].sort((a, b) => b[1] - a[1]).map(([k]) => k);
        n++;
        if (ranked[0] === q.key) h1++;
        if (ranked.slice(0, 3).includes(q.key)) h3++;
      });
    }
  }
  return { h1: h1 / n, h3: h3 / n };
}

function report(name: string, params: IntentParams, showErrors = false) {
  const t0 = performance.now();
  const m = intentCv(params, showErrors);
  const ms = (performance.now() - t0) / (REPEATS * FOLDS);
  out(`${name.padEnd(34)} intent acc ${pct(m.accuracy)}  macro-F1 ${m.macroF1.toFixed(3)}  (${ms.toFixed(0)} ms per training)`);
  return m;
}

out(
  `dev: ${dev.messages.length} messages, ${dev.faqQuestions.length} FAQ questions; training-only: ` +
    `${extra.extraMessages.length} messages, ${extra.extraFaqQuestions.length} FAQ questions; ${REPEATS}×${FOLDS}-fold CV`,
);
const shipped = report('shipped', MODEL_PARAMS, process.argv.includes('--errors'));
out(`${''.padEnd(16)}${INTENTS.map((i) => i.slice(0, 6).padStart(7)).join('')}`);
for (const a of INTENTS) out(`${a.padEnd(16)}${INTENTS.map((p) => String(shipped.confusion[a][p]).padStart(7)).join('')}`);
const faq = faqCv();
out(`FAQ-key model alone (shipped)      hit@1 ${pct(faq.h1)}  hit@3 ${pct(faq.h3)}`);
if (process.argv.includes('--shipped')) process.exit(0);

const f = MODEL_PARAMS.features;
const variants: [string, Partial<IntentParams>][] = [
  ['faq questions 0.1', { faqQuestionIntentWeight: 0.1 }],
  ['faq questions 0.05', { faqQuestionIntentWeight: 0.05 }],
  ['faq questions 0.02', { faqQuestionIntentWeight: 0.02 }],
  ['faq questions 0', { faqQuestionIntentWeight: 0 }],
  ['faq questions 0.3', { faqQuestionIntentWeight: 0.3 }],
  ['balance 1', { balance: 1 }],
  ['extra faq as intent', { extraFaqAsIntent: 1 }],
  ['extra faq as intent, faq questions 0.1', { extraFaqAsIntent: 1, faqQuestionIntentWeight: 0.1 }],
  ['balance 0.5', { balance: 0.5 }],
  ['extra 0.5', { extraWeight: 0.5 }],
  ['extra 1', { extraWeight: 1 }],
  ['extra 3', { extraWeight: 3 }],
  ['extra 3, faq questions 0.2', { extraWeight: 3, faqQuestionIntentWeight: 0.2 }],
  ['cues 0.5', { cueWeight: 0.5 }],
  ['cues 2', { cueWeight: 2 }],
  ['l2 3e-5', { l2: 3e-5 }],
  ['l2 3e-4', { l2: 3e-4 }],
  ['l2 1e-3', { l2: 1e-3 }],
  ['epochs 30', { epochs: 30 }],
  ['epochs 8', { epochs: 8 }],
  ['lr 1', { learningRate: 1 }],
  ['lr 4', { learningRate: 4 }],
  ['minCoverage 0.1', { minCoverage: 0.1 }],
  ['minCoverage 0.3', { minCoverage: 0.3 }],
  ['negation 1', { features: { ...f, negation: 1 } }],
  ['negation 0', { features: { ...f, negation: 0 } }],
  ['shape 1', { features: { ...f, shape: 1 } }],
  ['shape 0', { features: { ...f, shape: 0 } }],
  ['shape 2', { features: { ...f, shape: 2 } }],
  ['shape 3', { features: { ...f, shape: 3 } }],
  ['shape 4', { features: { ...f, shape: 4 } }],
  ['chars 2-5', { features: { ...f, charMin: 2 } }],
  ['chars 3-4', { features: { ...f, charMax: 4 } }],
  ['chars 3-6', { features: { ...f, charMax: 6 } }],
  ['chars weight 0.5', { features: { ...f, charWeight: 0.5 } }],
  ['chars weight 2', { features: { ...f, charWeight: 2 } }],
  ['bigrams 0', { features: { ...f, bigrams: 0 } }],
  ['bigrams 2', { features: { ...f, bigrams: 2 } }],
  ['prefix 4', { features: { ...f, prefix: 4 } }],
  ['prefix weight 1', { features: { ...f, prefixWeight: 1 } }],
  ['normalize 1', { features: { ...f, normalize: 1 } }],
  ['normalize 0', { features: { ...f, normalize: 0 } }],
  ['stems 1', { features: { ...f, stems: 1 } }],
  ['stems 0.5', { features: { ...f, stems: 0.5 } }],
  ['stems 0', { features: { ...f, stems: 0 } }],
  ['emoji 2', { features: { ...f, emoji: 2 } }],
  ['emoji 0', { features: { ...f, emoji: 0 } }],
  ['focus 1', { features: { ...f, focus: 1 } }],
  ['focus 0', { features: { ...f, focus: 0 } }],
  ['negation 1, extra 1', { extraWeight: 1, features: { ...f, negation: 1 } }],
  ['extra 1.5', { extraWeight: 1.5 }],
];
const only = process.env.ONLY ? new RegExp(process.env.ONLY) : null;
for (const [name, v] of variants) if (!only || only.test(name)) report(name, { ...MODEL_PARAMS, ...v });

const faqVariants: [string, Partial<typeof FAQ_KEY_PARAMS>][] = [
  ['epochs 30', { epochs: 30 }],
  ['l2 3e-5', { l2: 3e-5 }],
  ['questions 2', { questionWeight: 2 }],
  ['phrasings 0.5', { phrasingWeight: 0.5 }],
  ['normalize 1', { features: { ...FAQ_KEY_PARAMS.features, normalize: 1 } }],
  ['stems 1', { features: { ...FAQ_KEY_PARAMS.features, stems: 1 } }],
  ['normalize 1, stems 1', { features: { ...FAQ_KEY_PARAMS.features, normalize: 1, stems: 1 } }],
  ['normalize 1, stems 0.5', { features: { ...FAQ_KEY_PARAMS.features, normalize: 1, stems: 0.5 } }],
];
if (!only || process.env.FAQ) {
  for (const [name, v] of faqVariants) {
    const s = faqCv({ ...FAQ_KEY_PARAMS, ...v });
    out(`FAQ-key model alone, ${name.padEnd(15)} hit@1 ${pct(s.h1)}  hit@3 ${pct(s.h3)}`);
  }
}
