import type { Lang } from '../../../../../contracts/common.ts';
import type { SupportStatus } from '../../../../../contracts/locations.ts';
import { apiRequest } from '../../../../lib/api-client.ts';

/** Whether a person is at work now; when not, `nextAnswer` says when one will answer, in `lang`. */
export function getSupportHours(lang: Lang, signal?: AbortSignal): Promise<SupportStatus> {
  return apiRequest<SupportStatus>('/api/support-hours', { query: { lang }, signal, retry: false });
}
