import { CHAT_LIMITS, type BotTurn } from '../../../contracts/chat.ts';
import type { Queryable } from '../../db/index.ts';
import { AppError } from '../../http/app-error.ts';
import { findThreadByTokenHash, listTurns } from './chat.repo.ts';
import { hashConversationToken } from './conversation-token.ts';

/** The kept thread of a conversation token, for a reload: 401 without a token, 404 for an unknown one. */
export async function getThread(options: { db: Queryable; conversationToken: string | null }): Promise<{ turns: BotTurn[] }> {
  if (!options.conversationToken) throw new AppError('unauthorized', { reason: 'token_required' });
  const thread = await findThreadByTokenHash(options.db, hashConversationToken(options.conversationToken));
  if (!thread) throw new AppError('not_found');
  const rows = await listTurns(options.db, thread.id, CHAT_LIMITS.turnsShown);
  return { turns: rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() })) };
}
