import type { ChatHandoffResponse } from '../../../../../contracts/chat.ts';
import type { Lang } from '../../../../../contracts/common.ts';
import { apiRequest } from '../../../../lib/api-client.ts';

/**
 * When a person usually answers (`GET /api/chat/handoff`): while support is open, the median first
 * response of the last 7 days; while it is closed, `nextAnswer` in `lang` ("tomorrow from 11:00").
 */
export function getSupportHours(lang: Lang, signal?: AbortSignal): Promise<ChatHandoffResponse> {
  return apiRequest<ChatHandoffResponse>('/api/chat/handoff', { query: { lang }, signal, retry: false });
}
