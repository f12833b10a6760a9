import { useQuery } from '@tanstack/react-query';
import { ticketQueueResponseSchema } from '../../../../../contracts/agents.ts';
import { apiRequest } from '../../../lib/http.ts';
import { analyticsKeys } from './get-analytics.ts';

/** Every open ticket right now, whatever its age (the analytics range only counts the tickets created in it). */
export async function getOpenCount(signal?: AbortSignal): Promise<number> {
  const res = await apiRequest('/api/agent/tickets?status=open&limit=1', ticketQueueResponseSchema, { signal });
  return res.pagination.total;
}

export function useOpenCount() {
  return useQuery({ queryKey: [...analyticsKeys.all, 'open-count'], queryFn: ({ signal }) => getOpenCount(signal) });
}
