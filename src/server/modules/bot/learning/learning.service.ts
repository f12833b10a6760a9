import { LEARNING_LIMITS, type TeachBody, type TeachResponse, type UnansweredGroup, type UnansweredListResponse } from '../../../../contracts/bot-learning.ts';
import type { BotTurnDetail } from '../../../../contracts/chat.ts';
import type { Lang } from '../../../../contracts/common.ts';
import type { Db, Queryable } from '../../../db/index.ts';
import { AppError } from '../../../http/app-error.ts';
import { addFaqPhrasing, getAdminFaq } from '../../faq/index.ts';
import { getBotModel } from '../bot-model.ts';
import { RANKING } from '../bot.service.ts';
import { tokenize, type SparseVector } from '../text-features.ts';
import type { BotLearning } from './learned-model.ts';
import { deleteOldUnanswered, insertUnanswered, listOpenUnanswered, markDismissed, markTaught, type UnansweredRow } from './learning.repo.ts';
import { maskText } from './mask-text.ts';

/** Intents whose questions the FAQ should have answered: the others are a person's job or need no answer. */
const ANSWERABLE = new Set(['faq', 'general_inquiry', 'unknown']);

/** Questions of two words or more only: "ok", "allez", a lone emoji are not questions anyone can teach. */
const MIN_WORDS = 2;

/** Two questions whose features' cosine is at least this are shown as one group (checked by eye on dev texts). */
export const GROUP_SIMILARITY = 0.4;

/** Open questions read at most for one listing (the newest). */
const LIST_MAX_ROWS = 2000;

/** Least probability for the FAQ-key model's best entry to be offered as the form's default. */
const SUGGESTION_MIN = 0.3;

/**
 * Keeps a question the bot could not answer: no FAQ answer good enough (or none at all) for a text that
 * asked something. Small talk, order tracking, problems and complaints are not kept (a person or the
 * tracking handles them). Masked before it is written. Call it in the transaction that stores the turn.
 */
export async function noteUnanswered(q: Queryable, options: { text: string; detail: BotTurnDetail }): Promise<void> {
  const { text, detail } = options;
  if (detail.reply || detail.action || !ANSWERABLE.has(detail.intent)) return;
  if ((detail.answers[0]?.score ?? 0) >= RANKING.goodEnough) return;
  const masked = maskText(text);
  if (tokenize(masked).length < MIN_WORDS) return;
  await insertUnanswered(q, { text: masked, lang: detail.lang, reason: 'unanswered' });
}

/** Keeps the question whose answer `answerKey` a customer marked unhelpful. */
export async function noteUnhelpful(q: Queryable, options: { question: string; lang: Lang; answerKey: string }): Promise<void> {
  const masked = maskText(options.question);
  if (masked.length === 0) return;
  await insertUnanswered(q, { text: masked, lang: options.lang, reason: 'unhelpful', answerKey: options.answerKey });
}

function cosine(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [f, x] of small) {
    const y = large.get(f);
    if (y !== undefined) dot += x * y;
  }
  return dot;
}

/** Members of a group a new question is compared with (its first ones): enough to join, bounded in cost. */
const GROUP_COMPARED = 20;

/**
 * Questions alike grouped, the largest group first: each question joins the group (of its language)
 * holding the question most similar to it, when similar enough, else starts one. Greedy and
 * order-dependent, but a few hundred questions a week group in milliseconds and admins see the texts.
 */
export function groupQuestions(rows: UnansweredRow[], model = getBotModel()): { lead: UnansweredRow; members: UnansweredRow[] }[] {
  const groups: { lead: UnansweredRow; vectors: SparseVector[]; members: UnansweredRow[] }[] = [];
  for (const row of rows) {
    // The FAQ-key model's features, weighted by idf: "do you have" weighs little, "wifi" much.
    const vector = model.faqKeys.features(row.text);
    let best: (typeof groups)[number] | null = null;
    let bestSimilarity = GROUP_SIMILARITY;
    for (const g of groups) {
      if (g.lead.lang !== row.lang) continue;
      for (const v of g.vectors) {
        const similarity = cosine(v, vector);
        if (similarity >= bestSimilarity) [best, bestSimilarity] = [g, similarity];
      }
    }
    if (best) {
      best.members.push(row);
      if (best.vectors.length < GROUP_COMPARED) best.vectors.push(vector);
    } else groups.push({ lead: row, vectors: [vector], members: [row] });
  }
  return groups
    .map(({ lead, members }) => ({ lead, members }))
    .sort((a, b) => b.members.length - a.members.length || b.lead.created_at.getTime() - a.lead.created_at.getTime());
}

/** "Top unanswered this week": the open questions of the last `days` days, grouped, with counts. */
export async function listUnanswered(options: { db: Db; days: number; learning: BotLearning }): Promise<UnansweredListResponse> {
  const { db, days } = options;
  const rows = await listOpenUnanswered(db, new Date(Date.now() - days * 86_400_000), LIST_MAX_ROWS);
  const groups = groupQuestions(rows).slice(0, LEARNING_LIMITS.groupsMax);
  const { entries } = await getAdminFaq({ db });
  const titles = new Map(entries.map((e) => [`${e.key}/${e.lang}`, e.title]));
  const model = getBotModel();
  return {
    groups: groups.map(({ lead, members }): UnansweredGroup => {
      let best: [string, number] | null = null;
      for (const [key, p] of model.faqKeyScores(lead.text).probs) if (!best || p > best[1]) best = [key, p];
      const title = best && best[1] >= SUGGESTION_MIN ? titles.get(`${best[0]}/${lead.lang}`) : undefined;
      return {
        ids: members.map((m) => m.id),
        text: lead.text,
        lang: lead.lang,
        count: members.length,
        unhelpful: members.filter((m) => m.reason === 'unhelpful').length,
        examples: [...new Set(members.map((m) => m.text))].slice(0, 5),
        last_at: members[0]!.created_at.toISOString(),
        suggestion: best && title ? { key: best[0], title } : null,
      };
    }),
    total: rows.length,
    days,
    model: options.learning.status(),
  };
}

/**
 * Teaches the bot a group of questions: the (edited) text becomes a phrasing of the entry (created when
 * the key is new), the questions are marked taught, and the models are retrained in the background; the
 * new model answers on this instance as soon as it is trained, and on the others when the bus says so.
 */
export async function teachBot(options: { db: Db; learning: BotLearning; input: TeachBody }): Promise<TeachResponse> {
  const { db, learning, input } = options;
  const text = maskText(input.text);
  if (text.length === 0) throw new AppError('invalid_request', { reason: 'empty_text' });
  const { taught, phrasingAdded } = await db.transaction(async (tx) => {
    const faq = await addFaqPhrasing(tx, { key: input.key, lang: input.lang, phrasing: text, title: input.title, answer: input.answer });
    if (!faq) throw new AppError('invalid_request', { reason: 'new_entry_needs_title_and_answer' });
    const n = await markTaught(tx, input.ids, { key: input.key, lang: input.lang, text });
    if (n === 0) throw new AppError('not_found', { reason: 'no_open_question' });
    return { taught: n, phrasingAdded: faq.phrasingAdded };
  });
  void learning.retrain();
  return { taught, key: input.key, lang: input.lang, phrasingAdded, model: learning.status() };
}

export async function dismissUnanswered(options: { db: Db; ids: string[] }): Promise<{ dismissed: number }> {
  const dismissed = await markDismissed(options.db, options.ids);
  if (dismissed === 0) throw new AppError('not_found', { reason: 'no_open_question' });
  return { dismissed };
}

/** Deletes open and dismissed questions older than the retention (90 days), in batches; how many went. */
export async function purgeUnanswered(options: { db: Db; now?: Date; batch?: number }): Promise<number> {
  const before = new Date((options.now ?? new Date()).getTime() - LEARNING_LIMITS.retentionDays * 86_400_000);
  const batch = options.batch ?? 1000;
  let total = 0;
  for (;;) {
    const n = await deleteOldUnanswered(options.db, before, batch);
    total += n;
    if (n < batch) return total;
  }
}
