import { useQuery } from '@tanstack/react-query';
import { cannedReplyListSchema } from '../../../../../contracts/agents.ts';
import type { Lang } from '../../../../../contracts/common.ts';
import { apiRequest } from '../../../../staff/http.ts';
import { ticketKeys } from './keys.ts';

/** The team's canned replies in one language (GET /api/agent/canned-replies?lang=). */
export function getCannedReplies(lang: Lang, signal?: AbortSignal) {
  return apiRequest(`/api/agent/canned-replies?lang=${lang}`, cannedReplyListSchema, { signal });
}

export function useCannedReplies(lang: Lang, enabled: boolean) {
  return useQuery({
    queryKey: [...ticketKeys.all, 'canned-replies', lang],
    queryFn: ({ signal }) => getCannedReplies(lang, signal),
    enabled,
    staleTime: 60_000,
  });
}
