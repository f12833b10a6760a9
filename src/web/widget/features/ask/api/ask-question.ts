import type { Lang } from '../../../../../contracts/common.ts';
import type { AskResponse } from '../../../../../contracts/bot.ts';
import { apiRequest } from '../../../../lib/api-client.ts';

export type AskResult = AskResponse;

/** The chatbot's answer to a free question; read-only, so network errors and 5xx are retried. */
export function askQuestion(text: string, lang: Lang): Promise<AskResult> {
  return apiRequest('/api/chat/ask', { method: 'POST', body: { text, lang }, retry: { maxRetries: 2 } });
}
