import type { ChatAskResponse, ChatThreadResponse } from '../../../../../contracts/chat.ts';
import type { Lang } from '../../../../../contracts/common.ts';
import { apiRequest } from '../../../../lib/api-client.ts';

/**
 * One question in the bot thread. Not retried by the client: a retry would store the question twice;
 * a question that got no answer stays in the thread's outbox and is sent again when the network is back.
 */
export function askInThread(text: string, lang: Lang, conversationToken: string | null): Promise<ChatAskResponse> {
  return apiRequest('/api/chat/ask', { body: conversationToken ? { text, lang, conversationToken } : { text, lang }, retry: false });
}

/** The kept thread, for a reload. */
export function getThread(conversationToken: string): Promise<ChatThreadResponse> {
  return apiRequest('/api/chat/thread', { token: conversationToken });
}

/** "Did this help?" on an answer; the last choice counts. */
export function sendFeedback(conversationToken: string, key: string, helpful: boolean): Promise<void> {
  return apiRequest('/api/chat/feedback', { body: { conversationToken, key, helpful }, retry: {} });
}
