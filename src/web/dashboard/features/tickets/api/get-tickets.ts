import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ticketQueueResponseSchema, type TicketQueueQuery } from '../../../../../contracts/agents.ts';
import { apiRequest, toQueryString } from '../../../../staff/http.ts';
import { ticketKeys } from './keys.ts';

export type QueueParams = Partial<TicketQueueQuery>;

export function getTickets(params: QueueParams, signal?: AbortSignal) {
  return apiRequest(`/api/agent/tickets${toQueryString(params)}`, ticketQueueResponseSchema, { signal });
}

/** The queue page; the previous page stays on screen while the next one loads. */
export function useTickets(params: QueueParams) {
  return useQuery({
    queryKey: ticketKeys.queue(params),
    queryFn: ({ signal }) => getTickets(params, signal),
    placeholderData: keepPreviousData,
  });
}
