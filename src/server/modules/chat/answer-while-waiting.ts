import { createHash } from 'node:crypto';
import type { Lang } from '../../../contracts/common.ts';
import type { Db, Queryable } from '../../db/index.ts';
import type { BotModel } from '../bot/index.ts';
import { answerText } from './ask-in-thread.ts';
import { findThreadByTicket } from './chat.repo.ts';
import { matchSmallTalk } from './small-talk.ts';

/**
 * What the chat needs of the tickets module, handed in by it (tickets imports chat, so chat cannot import
 * tickets): its row lock and its append, the one way a message enters a conversation.
 */
export type WaitingTicketPort = {
  lockTicket: (tx: Queryable, ticketId: string) => Promise<{ status: string; last_agent_reply_at: Date | null; assignee_id: string | null } | null>;
  appendMessage: (tx: Queryable, m: { ticketId: string; authorType: 'bot'; body: string; clientId: string }) => Promise<{ created: boolean }>;
};

/**
 * A ticket's thread never changes once the ticket exists (the link is written in its creation's
 * transaction), so this process remembers it, found or not: a ticket costs the customer's send one lookup
 * per process, not one per message (the send stays one statement, docs/load-test.md). Bounded: the oldest
 * tickets are forgotten first.
 */
const threadOfTicket = new Map<string, { lang: Lang } | null>();
const THREADS_REMEMBERED = 10_000;

/**
 * A handed-over ticket begins with the thread's exchange (a question and the bot's answer at least), then
 * the opening message: a customer's later message there has seq 4 or more. Below, no lookup is needed.
 */
const FIRST_SEQ_AFTER_A_HANDOVER = 4;

async function threadOf(db: Queryable, ticketId: string): Promise<{ lang: Lang } | null> {
  if (threadOfTicket.has(ticketId)) return threadOfTicket.get(ticketId)!;
  const thread = await findThreadByTicket(db, ticketId);
  if (threadOfTicket.size >= THREADS_REMEMBERED) threadOfTicket.delete(threadOfTicket.keys().next().value!);
  threadOfTicket.set(ticketId, thread && { lang: thread.lang });
  return thread;
}

/** The bot's answer to a customer message has a clientId derived from that message's id: stored once however often it is asked. */
export function botAnswerClientId(messageId: string): string {
  const h = createHash('sha256').update(`bot-answer:${messageId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * While a ticket opened from the chat thread waits for a person, the bot answers the customer's FAQ
 * questions in it (docs/chatbot.md, "While waiting for a person"). The rule: only a ticket handed over from
 * a bot thread, only while it is `open`, unassigned and no agent has replied in it yet (once an agent is
 * on it, the bot is silent for good), and only a real FAQ answer (never small talk, tracking, "a person
 * should answer" or "nothing found"). The answer is appended through the tickets module's send path
 * (its row lock, the order of messages, `message.created`) with a clientId derived from the question, so
 * a retried send never gets two. Returns whether the bot answered.
 */
export async function answerWhileWaiting(options: {
  db: Db;
  ticketId: string;
  message: { id: string; author_type: string; body: string; seq: number };
  tickets: WaitingTicketPort;
  model?: BotModel;
}): Promise<boolean> {
  const { db, ticketId, message } = options;
  if (message.author_type !== 'user' || message.seq < FIRST_SEQ_AFTER_A_HANDOVER || !message.body.trim() || matchSmallTalk(message.body)) return false;
  const thread = await threadOf(db, ticketId);
  if (!thread) return false;
  const detail = await answerText({ db, text: message.body, uiLang: thread.lang, model: options.model });
  if (detail.escalate || detail.action || !detail.answers[0]) return false;
  return db.transaction(async (tx) => {
    const ticket = await options.tickets.lockTicket(tx, ticketId);
    if (!ticket || ticket.status !== 'open' || ticket.last_agent_reply_at || ticket.assignee_id) return false;
    const { created } = await options.tickets.appendMessage(tx, {
      ticketId,
      authorType: 'bot',
      body: detail.reply,
      clientId: botAnswerClientId(message.id),
    });
    return created;
  });
}
