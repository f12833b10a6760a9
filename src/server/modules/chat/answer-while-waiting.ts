import { createHash } from 'node:crypto';
import type { Lang } from '../../../contracts/common.ts';
import type { Db, Queryable } from '../../db/index.ts';
import type { BotModel } from '../bot/index.ts';
import { answerText } from './ask-in-thread.ts';
import { matchSmallTalk } from './small-talk.ts';

/**
 * What the chat needs of the tickets module, handed in by it (tickets imports chat, so chat cannot import
 * tickets): its row lock and its append, the one way a message enters a conversation.
 */
export type WaitingTicketPort = {
  lockTicket: (tx: Queryable, ticketId: string) => Promise<{ status: string; last_agent_reply_at: Date | null; assignee_id: string | null } | null>;
  appendMessage: (tx: Queryable, m: { ticketId: string; authorType: 'bot'; body: string; clientId: string }) => Promise<{ created: boolean }>;
};

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
 * should answer" or "nothing found"). Whether the ticket came from a thread is a fact of its row
 * (`opened_from_thread`, written at the handoff), which the send's own statement returns: deciding costs
 * no statement, in any instance. The answer is appended through the tickets module's send path (its row
 * lock, the order of messages, `message.created`) with a clientId derived from the question, so a retried
 * send never gets two. Returns whether the bot answered.
 */
export async function answerWhileWaiting(options: {
  db: Db;
  ticketId: string;
  /** The ticket as the send's statement saw it: its language, and whether it was opened from a bot thread. */
  ticket: { lang: Lang; openedFromThread: boolean };
  message: { id: string; author_type: string; body: string };
  tickets: WaitingTicketPort;
  model?: BotModel;
}): Promise<boolean> {
  const { db, ticketId, ticket, message } = options;
  if (!ticket.openedFromThread || message.author_type !== 'user' || !message.body.trim() || matchSmallTalk(message.body)) return false;
  const detail = await answerText({ db, text: message.body, uiLang: ticket.lang, model: options.model });
  if (detail.escalate || detail.action || !detail.answers[0]) return false;
  return db.transaction(async (tx) => {
    const locked = await options.tickets.lockTicket(tx, ticketId);
    if (!locked || locked.status !== 'open' || locked.last_agent_reply_at || locked.assignee_id) return false;
    const { created } = await options.tickets.appendMessage(tx, {
      ticketId,
      authorType: 'bot',
      body: detail.reply,
      clientId: botAnswerClientId(message.id),
    });
    return created;
  });
}
