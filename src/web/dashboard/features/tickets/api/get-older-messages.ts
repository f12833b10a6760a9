import { useInfiniteQuery } from '@tanstack/react-query';
import { agentMessagePageSchema } from '../../../../../contracts/agents.ts';
import { apiRequest, toQueryString } from '../../../../staff/http.ts';
import { ticketKeys } from './keys.ts';

const OLDER_PAGE_SIZE = 30;

export function getOlderMessages(id: string, cursor: string, signal?: AbortSignal) {
  return apiRequest(
    `/api/agent/tickets/${encodeURIComponent(id)}/messages${toQueryString({ cursor, limit: OLDER_PAGE_SIZE })}`,
    agentMessagePageSchema,
    { signal },
  );
}

/**
 * Pages back through the messages older than the ticket detail's, starting at its `nextCursor`
 * (the infinite scroll, docs/dashboard.md); nothing is fetched until the agent scrolls up.
 */
export function useOlderMessages(id: string, firstCursor: string | null) {
  return useInfiniteQuery({
    queryKey: [...ticketKeys.olderMessages(id), firstCursor],
    queryFn: ({ pageParam, signal }) => getOlderMessages(id, pageParam, signal),
    initialPageParam: firstCursor ?? '',
    getNextPageParam: (last) => (last.hasMore && last.nextCursor ? last.nextCursor : undefined),
    enabled: false,
    staleTime: Infinity,
  });
}
