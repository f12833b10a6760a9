import type { ChatFeedbackBody } from '../../../contracts/chat.ts';
import type { Db } from '../../db/index.ts';
import { AppError } from '../../http/app-error.ts';
import { findThreadByTokenHash, threadShowedAnswer, upsertFeedback } from './chat.repo.ts';
import { hashConversationToken } from './conversation-token.ts';

/**
 * "Did this help?" on an answer the thread showed: the last choice per answer counts (a customer may
 * change their mind). An unknown thread, or an answer it never showed, is 404: nobody feeds the
 * deflection figure with answers they were not given.
 */
export async function recordFeedback(options: { db: Db; input: ChatFeedbackBody }): Promise<void> {
  const { db, input } = options;
  const thread = await findThreadByTokenHash(db, hashConversationToken(input.conversationToken));
  if (!thread || !(await threadShowedAnswer(db, thread.id, input.key))) throw new AppError('not_found');
  await upsertFeedback(db, { threadId: thread.id, key: input.key, helpful: input.helpful });
}
