import { performance } from 'node:perf_hooks';
import type { Lang } from '../../../contracts/common.ts';
import { INTENTS, type Intent } from '../../../contracts/tickets.ts';
import type { Queryable } from '../../db/index.ts';
import { getBotModel, readCustomers, readLabelled, shippedTrainingData, trainBotModel, type BotModel, type LabelledFaqQuestion, type LabelledMessage } from './bot-model.ts';
import { askBot, rankFaq } from './bot.service.ts';

export type IntentMetrics = {
  accuracy: number;
  macroF1: number;
  perIntent: Record<Intent, { precision: number; recall: number; f1: number; support: number }>;
  /** confusion[actual][predicted] */
  confusion: Record<Intent, Record<Intent, number>>;
};

export type EvalReport = {
  messages: number;
  faqQuestions: number;
  language: { accuracy: number; n: number; errors: { text: string; expected: Lang; got: Lang }[] };
  intent: IntentMetrics & { errors: { text: string; expected: Intent; got: Intent }[] };
  faq: {
    hit1: number;
    hit3: number;
    /** Hits among the answers POST /api/chat/ask returns (none for compliment/unknown, none under the bar). */
    served: { hit1: number; hit3: number };
    ftsOnly: { hit1: number; hit3: number };
    modelOnly: { hit1: number; hit3: number };
    /** Share of FAQ questions whose top answer clears the "good enough" bar (no escalation). */
    answered: number;
    errors: { text: string; expected: string; got: string[] }[];
  };
  latencyMs: { p50: number; p95: number; max: number };
};

type Prediction = {
  lang?: { expected: Lang; got: Lang; text: string };
  intent?: { expected: Intent; got: Intent; text: string };
  faq?: { expected: string; ranked: string[]; served: string[]; fts: string[]; model: string[]; answered: boolean; text: string };
  ms: number;
};

/** Runs the whole pipeline (as POST /api/chat/ask does) on labelled texts; the FAQ must be loaded in db. */
export async function predict(
  db: Queryable,
  model: BotModel,
  messages: LabelledMessage[],
  faqQuestions: LabelledFaqQuestion[],
): Promise<Prediction[]> {
  const out: Prediction[] = [];
  for (const m of messages) {
    const start = performance.now();
    const res = await askBot({ db, text: m.text, model });
    const ms = performance.now() - start;
    out.push({
      ms,
      intent: { expected: m.intent, got: res.intent, text: m.text },
      ...(m.lang ? { lang: { expected: m.lang, got: res.lang, text: m.text } } : {}),
    });
  }
  for (const q of faqQuestions) {
    const start = performance.now();
    const res = await askBot({ db, text: q.text, model });
    const ms = performance.now() - start;
    // Ranking is judged in the question's own language, whatever the detector said (measured apart).
    const ranked = await rankFaq(db, model, q.text, q.lang);
    const byFts = [...ranked].sort((a, b) => b.ftsScore - a.ftsScore).map((r) => r.key);
    const byModel = [...ranked].sort((a, b) => b.modelScore - a.modelScore).map((r) => r.key);
    out.push({
      ms,
      lang: { expected: q.lang, got: res.lang, text: q.text },
      faq: {
        expected: q.key,
        ranked: ranked.map((r) => r.key),
        served: res.answers.map((a) => a.key),
        fts: byFts,
        model: byModel,
        answered: !res.escalate && res.answers[0]?.key === q.key,
        text: q.text,
      },
    });
  }
  return out;
}

function ratio(a: number, b: number) {
  return b === 0 ? 0 : a / b;
}

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export function intentMetrics(pairs: { expected: Intent; got: Intent }[]): IntentMetrics {
  const confusion = Object.fromEntries(
    INTENTS.map((a) => [a, Object.fromEntries(INTENTS.map((p) => [p, 0]))]),
  ) as Record<Intent, Record<Intent, number>>;
  for (const { expected, got } of pairs) confusion[expected][got]++;
  const perIntent = {} as IntentMetrics['perIntent'];
  for (const c of INTENTS) {
    const tp = confusion[c][c];
    const support = INTENTS.reduce((s, p) => s + confusion[c][p], 0);
    const predicted = INTENTS.reduce((s, a) => s + confusion[a][c], 0);
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    perIntent[c] = { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  }
  const present = INTENTS.filter((c) => perIntent[c].support > 0);
  return {
    accuracy: ratio(pairs.filter((p) => p.expected === p.got).length, pairs.length),
    macroF1: ratio(present.reduce((s, c) => s + perIntent[c].f1, 0), present.length),
    perIntent,
    confusion,
  };
}

export function summarise(predictions: Prediction[]): EvalReport {
  const langs = predictions.flatMap((p) => (p.lang ? [p.lang] : []));
  const intents = predictions.flatMap((p) => (p.intent ? [p.intent] : []));
  const faqs = predictions.flatMap((p) => (p.faq ? [p.faq] : []));
  const hit = (list: string[], key: string, k: number) => list.slice(0, k).includes(key);
  return {
    messages: intents.length,
    faqQuestions: faqs.length,
    language: {
      accuracy: ratio(langs.filter((l) => l.expected === l.got).length, langs.length),
      n: langs.length,
      errors: langs.filter((l) => l.expected !== l.got),
    },
    intent: { ...intentMetrics(intents), errors: intents.filter((i) => i.expected !== i.got) },
    faq: {
      hit1: ratio(faqs.filter((f) => hit(f.ranked, f.expected, 1)).length, faqs.length),
      hit3: ratio(faqs.filter((f) => hit(f.ranked, f.expected, 3)).length, faqs.length),
      served: {
        hit1: ratio(faqs.filter((f) => hit(f.served, f.expected, 1)).length, faqs.length),
        hit3: ratio(faqs.filter((f) => hit(f.served, f.expected, 3)).length, faqs.length),
      },
      ftsOnly: {
        hit1: ratio(faqs.filter((f) => hit(f.fts, f.expected, 1)).length, faqs.length),
        hit3: ratio(faqs.filter((f) => hit(f.fts, f.expected, 3)).length, faqs.length),
      },
      modelOnly: {
        hit1: ratio(faqs.filter((f) => hit(f.model, f.expected, 1)).length, faqs.length),
        hit3: ratio(faqs.filter((f) => hit(f.model, f.expected, 3)).length, faqs.length),
      },
      answered: ratio(faqs.filter((f) => f.answered).length, faqs.length),
      errors: faqs.filter((f) => f.ranked[0] !== f.expected).map((f) => ({ text: f.text, expected: f.expected, got: f.ranked.slice(0, 3) })),
    },
    latencyMs: {
      p50: percentile(predictions.map((p) => p.ms), 50),
      p95: percentile(predictions.map((p) => p.ms), 95),
      max: Math.max(...predictions.map((p) => p.ms)),
    },
  };
}

/** The shipped model (trained on dev only) judged on the held-out split, which it has never seen. */
export async function evaluateHeldOut(db: Queryable): Promise<EvalReport> {
  const model = getBotModel();
  const heldOut = readLabelled('heldout');
  return summarise(await predict(db, model, heldOut.messages, heldOut.faqQuestions));
}

/** The shipped model judged on the customers' held-out set (issue 20: how customers really type). */
export async function evaluateCustomersHeldOut(db: Queryable): Promise<EvalReport> {
  const set = readCustomers('heldout');
  return summarise(await predict(db, getBotModel(), set.messages, set.faqQuestions));
}

/**
 * The dev split judged fairly: k-fold cross-validation, each fold predicted by a model trained on the
 * other folds (the shipped model has seen all of dev, so scoring it on dev would say nothing).
 */
export async function evaluateDevCrossValidated(db: Queryable, folds = 5): Promise<EvalReport> {
  const data = shippedTrainingData();
  const predictions: Prediction[] = [];
  for (let f = 0; f < folds; f++) {
    const inFold = (_: unknown, i: number) => i % folds === f;
    const notInFold = (_: unknown, i: number) => i % folds !== f;
    const model = trainBotModel({ ...data, messages: data.messages.filter(notInFold), faqQuestions: data.faqQuestions.filter(notInFold) });
    predictions.push(...(await predict(db, model, data.messages.filter(inFold), data.faqQuestions.filter(inFold))));
  }
  return summarise(predictions);
}

