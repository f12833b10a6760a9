import type { BotAction, BotTurnDetail, ChatAskResponse } from '../../../contracts/chat.ts';
import { DEFAULT_LANG, type Lang } from '../../../contracts/common.ts';
import type { Db } from '../../db/index.ts';
import { translator } from '../../i18n.ts';
import { askBot, noteUnanswered, type BotModel } from '../bot/index.ts';
import { appendTurns, insertThread, lockThreadByTokenHash, type BotThreadRow } from './chat.repo.ts';
import { hashConversationToken, newConversationToken } from './conversation-token.ts';
import { matchSmallTalk, SMALL_TALK_INTENT } from './small-talk.ts';

// "TF-1002", "tf1002", "#1002", "commande 10023": letters-dash-digits, or four digits and more.
const ORDER_NUMBER = /(?:^|[^\p{L}\p{N}])#?((?:[a-z]{1,4}-?)?\d{3,12})(?![\p{L}\p{N}])/iu;

/** The order number a text mentions, upper-cased, when it has one. */
export function findOrderNumber(text: string): string | undefined {
  const m = ORDER_NUMBER.exec(text);
  if (!m) return undefined;
  const n = m[1]!.toUpperCase();
  return /^[A-Z]/.test(n) || n.length >= 4 ? n : undefined;
}

/**
 * The bot's answer to one text, before it is stored: small talk first, else the model and the FAQ.
 * `reply` is what the bot's bubble says, in the answer's language (locales/<lang>/chat.json): the best
 * FAQ answer, the question about the order, a small-talk reply, or why a person should answer.
 */
export async function answerText(options: { db: Db; text: string; uiLang: Lang; model?: BotModel }): Promise<BotTurnDetail & { reply: string }> {
  const small = matchSmallTalk(options.text);
  if (small) {
    const lang = small.lang ?? options.uiLang;
    return { lang, intent: SMALL_TALK_INTENT[small.kind], answers: [], escalate: false, reply: translator(lang)(`chat:small_talk.${small.kind}`) };
  }
  // No `lang`: the text's own language when the detector is sure of it, else the customer's UI language.
  const answer = await askBot({ db: options.db, text: options.text, browserLang: options.uiLang, model: options.model });
  const t = translator(answer.lang);
  if (answer.intent === 'order_tracking') {
    const orderNumber = findOrderNumber(options.text);
    const action: BotAction = orderNumber ? { type: 'track_order', orderNumber } : { type: 'track_order' };
    // Tracking is the bot's own job: the thread asks for the number and e-mail instead of offering a person.
    return { ...answer, escalate: false, action, reply: t('chat:track_prompt') };
  }
  const best = answer.answers[0];
  if (answer.escalate) return { ...answer, reply: t(best ? 'chat:escalate' : 'chat:no_answer') };
  if (best) return { ...answer, reply: `${best.title}\n${best.answer}` };
  // Nothing to answer and nothing to hand over (a compliment): thanked like small talk.
  return { ...answer, reply: t('chat:small_talk.thanks') };
}

/**
 * One question in the thread: the bot answers, and the question and the answer are kept as the thread's
 * next two turns under the thread's row lock. Without a token, or with one the server does not know (a
 * thread deleted by retention), a new thread starts and its token is returned.
 */
export async function askInThread(options: {
  db: Db;
  text: string;
  /** The customer's UI language (the body's `lang`, else Accept-Language). */
  uiLang?: Lang;
  conversationToken?: string;
  model?: BotModel;
}): Promise<ChatAskResponse> {
  const { db, text } = options;
  const uiLang = options.uiLang ?? DEFAULT_LANG;
  const detail = await answerText({ db, text, uiLang, model: options.model });
  return db.transaction(async (tx) => {
    let thread: BotThreadRow | null = null;
    let token = options.conversationToken;
    if (token) thread = await lockThreadByTokenHash(tx, hashConversationToken(token));
    if (!thread) {
      const fresh = newConversationToken();
      token = fresh.token;
      thread = await insertThread(tx, { tokenHash: fresh.hash, lang: detail.lang });
    }
    await appendTurns(tx, thread.id, [
      { authorType: 'user', body: text, detail: null },
      { authorType: 'bot', body: detail.reply, detail },
    ]);
    // The learning loop (issue 20): a question the bot had no good answer for is kept, masked, for admins.
    // It takes a `reply` for small talk only (nothing to learn from); every other turn is judged on its answers.
    await noteUnanswered(tx, { text, detail: matchSmallTalk(text) ? detail : { ...detail, reply: undefined } });
    return { ...detail, conversationToken: token! };
  });
}
