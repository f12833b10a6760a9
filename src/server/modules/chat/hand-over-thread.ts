import type { Queryable } from '../../db/index.ts';
import { listTurns, lockThreadByTokenHash, setThreadTicket } from './chat.repo.ts';
import { hashConversationToken } from './conversation-token.ts';

/** The most turns copied into a ticket: a thread longer than this gives its latest ones. */
export const HANDOVER_TURNS_MAX = 200;

export type ExchangeTurn = { authorType: 'user' | 'bot'; body: string };

/**
 * Hands a bot thread to a ticket being created (inside the creation's transaction): the thread is
 * linked to the ticket (so retention keeps it with the ticket) and its turns are returned in order, to
 * become the ticket's first messages. An unknown token gives null: no thread was handed over, and the
 * ticket opens all the same.
 */
export async function handOverThread(tx: Queryable, options: { conversationToken: string; ticketId: string }): Promise<ExchangeTurn[] | null> {
  const thread = await lockThreadByTokenHash(tx, hashConversationToken(options.conversationToken));
  if (!thread) return null;
  await setThreadTicket(tx, thread.id, options.ticketId);
  const turns = await listTurns(tx, thread.id, HANDOVER_TURNS_MAX);
  return turns.map((t) => ({ authorType: t.author_type, body: t.body }));
}
