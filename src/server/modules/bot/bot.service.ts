import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BOT_LIMITS, type AskResponse, type BotAnswer, type Suggestion } from '../../../contracts/bot.ts';
import type { Lang } from '../../../contracts/common.ts';
import type { Intent } from '../../../contracts/tickets.ts';
import type { Db, Queryable } from '../../db/index.ts';
import { searchFaqRows, type FaqSearchRow } from '../faq/index.ts';
import { withLocationAnswers } from '../locations/index.ts';
import { getBotModel, type BotModel, type FaqKeyScores } from './bot-model.ts';

/** Intents a person must handle whatever the FAQ says. */
export const INTENTS_NEEDING_A_PERSON: ReadonlySet<Intent> = new Set(['problem', 'complaint']);
/** Intents for which the FAQ is not consulted: there is nothing to answer. */
const INTENTS_WITHOUT_ANSWER: ReadonlySet<Intent> = new Set(['compliment', 'unknown']);

/** Ranking knobs, chosen by cross-validation on the dev split (docs/chatbot.md). */
export const RANKING = {
  /**
   * Share of the trained FAQ-key model in an entry's score; the rest is full-text search. Since the
   * phrasings were enriched and the model idf-weighted, the model alone ranks better than full-text
   * search, which now mostly breaks near-ties (5-fold CV on dev, scripts/tune-bot-ranking.ts).
   */
  modelWeight: 0.9,
  /**
   * Top key probability under which the model's share shrinks in proportion (0: never). 0.1 is barely
   * above a uniform guess over 12 keys: only a model that is lost hands over to full-text search.
   */
  sureModel: 0.1,
  /** ts_rank at which the full-text part reaches half its weight (ts_rank is unbounded). */
  ftsHalf: 0.2,
  /**
   * The model's share is also multiplied by (share of the text's words it met in training) ^ this:
   * a word it never saw (a phrasing an admin added after start-up) hands the ranking to full-text search.
   */
  unknownWords: 1,
  /**
   * An answer this good is shown without offering a person: on dev cross-validation, ~91% of right
   * top answers score above it, and ~19% of non-FAQ messages' top entries do (scripts/tune-bot-ranking.ts).
   */
  goodEnough: 0.4,
  /** Answers under this are not shown at all (97% of right top answers clear it, 40% of non-FAQ messages' tops). */
  minShown: 0.3,
};

export type RankedFaq = BotAnswer & { modelScore: number; ftsScore: number };

/** Combines the model's probability of each key with the full-text rank of each entry, best first. */
export function combineFaqScores(rows: FaqSearchRow[], key: FaqKeyScores, ranking = RANKING): RankedFaq[] {
  const keyProbs = key.probs;
  // A model that spreads its probability over many keys is guessing (words it has never seen, such as
  // a phrasing an admin added after start-up): full-text search then gets the larger share.
  let top = 0;
  for (const p of keyProbs.values()) if (p > top) top = p;
  const modelWeight =
    ranking.modelWeight * (ranking.sureModel > 0 ? Math.min(1, top / ranking.sureModel) : 1) * key.known ** ranking.unknownWords;
  return rows
    .map((row) => {
      const ftsScore = row.rank / (row.rank + ranking.ftsHalf);
      const modelScore = keyProbs.get(row.key);
      // An entry added by an admin after training is ranked by full-text search alone.
      const score = modelScore === undefined ? ftsScore : modelWeight * modelScore + (1 - modelWeight) * ftsScore;
      return { key: row.key, title: row.title, answer: row.answer, score: round(score), modelScore: modelScore ?? 0, ftsScore };
    })
    .sort((a, b) => b.score - a.score);
}

function round(x: number) {
  return Math.round(x * 1000) / 1000;
}

/** Every FAQ entry of the language, scored for the text, best first. */
export async function rankFaq(q: Queryable, model: BotModel, text: string, lang: Lang): Promise<RankedFaq[]> {
  const rows = await searchFaqRows(q, lang, text);
  return combineFaqScores(rows, model.faqKeyScores(text));
}

/**
 * The chatbot's answer to one customer text: its language (given, else detected when confident,
 * else the browser's, else the best guess), its intent, the best FAQ answers, and whether a person
 * should take over. Nothing is stored.
 */
export async function askBot(options: { db: Queryable; text: string; lang?: Lang; browserLang?: Lang; model?: BotModel }): Promise<AskResponse> {
  const model = options.model ?? getBotModel();
  const lang = options.lang ?? model.detectLanguage(options.text, options.browserLang).lang;
  const { intent } = model.classifyIntent(options.text);
  const ranked = INTENTS_WITHOUT_ANSWER.has(intent) ? [] : await rankFaq(options.db, model, options.text, lang);
  // A FAQ question always gets the best entries (one of them is nearly always right, docs/chatbot.md);
  // other intents only those that clear the bar.
  const faqAnswers = ranked
    .filter((a, i) => a.score >= RANKING.minShown || (intent === 'faq' && i < BOT_LIMITS.answersMax))
    .slice(0, BOT_LIMITS.answersMax)
    .map(({ key, title, answer, score }) => ({ key, title, answer, score }));
  // Opening hours and delivery from the restaurants' own data when the text names a place or a postcode.
  const answers = await withLocationAnswers({ db: options.db, text: options.text, lang, answers: faqAnswers });
  const answered = (answers[0]?.score ?? 0) >= RANKING.goodEnough;
  const escalate = INTENTS_NEEDING_A_PERSON.has(intent) || (intent !== 'compliment' && !answered);
  return { lang, intent, answers, escalate };
}

type CannedReply = { key: string; title: string; body: string };
const CANNED_REPLIES = JSON.parse(
  readFileSync(fileURLToPath(new URL('./content/canned-replies.json', import.meta.url)), 'utf8'),
) as Record<Lang, Record<Intent, CannedReply[]>>;

/**
 * Replies an agent can insert for a conversation, in its language: the FAQ answers that best match the
 * customer's latest messages (`conversation`), then the canned replies of the conversation's intent.
 * The ticket's side (which messages, which language) is modules/tickets/suggest-replies.ts.
 */
export async function suggestReplies(options: { db: Db; conversation: string; lang: Lang; model?: BotModel }): Promise<Suggestion[]> {
  const { db, conversation, lang } = options;
  const model = options.model ?? getBotModel();
  const { intent, confidence } = model.classifyIntent(conversation);
  const faq = (await rankFaq(db, model, conversation, lang))
    .filter((a) => a.score >= RANKING.minShown)
    .slice(0, BOT_LIMITS.answersMax)
    .map((a): Suggestion => ({ kind: 'faq', key: a.key, title: a.title, body: a.answer, score: a.score }));
  const canned = CANNED_REPLIES[lang][intent].map(
    (c): Suggestion => ({ kind: 'canned', key: `${intent}.${c.key}`, title: c.title, body: c.body, score: round(confidence) }),
  );
  return [...faq, ...canned];
}
