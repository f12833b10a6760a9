import type { ChatFeedbackBody } from '../../../contracts/chat.ts';
import type { Db } from '../../db/index.ts';
import { AppError } from '../../http/app-error.ts';
import { noteUnhelpful } from '../bot/index.ts';
import { findFeedback, findQuestionAnsweredBy, findThreadByTokenHash, threadShowedAnswer, upsertFeedback } from './chat.repo.ts';
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
  await db.transaction(async (tx) => {
    // The learning loop (issue 20): a question whose answer turned unhelpful is kept, masked, for admins.
    if (!input.helpful && (await findFeedback(tx, thread.id, input.key)) !== false) {
      const question = await findQuestionAnsweredBy(tx, thread.id, input.key);
      if (question) await noteUnhelpful(tx, { question, lang: thread.lang, answerKey: input.key });
    }
    await upsertFeedback(tx, { threadId: thread.id, key: input.key, helpful: input.helpful });
  });
}
