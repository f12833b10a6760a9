import { useQuery } from '@tanstack/react-query';
import { debugTicketsResponseSchema } from '../../../../../contracts/debug.ts';
import { apiRequest } from '../../../../staff/http.ts';

/** Seed §10: the inspector refreshes every 2 s. */
export const INSPECTOR_REFRESH_MS = 2000;

export function getRecentTickets(signal?: AbortSignal) {
  return apiRequest('/api/debug/tickets', debugTicketsResponseSchema, { signal });
}

export function useRecentTickets(paused: boolean) {
  return useQuery({
    queryKey: ['debug', 'tickets'],
    queryFn: ({ signal }) => getRecentTickets(signal),
    refetchInterval: paused ? false : INSPECTOR_REFRESH_MS,
    staleTime: 0,
  });
}
