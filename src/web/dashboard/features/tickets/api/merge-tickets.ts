import { useMutation, useQueryClient } from '@tanstack/react-query';
import { mergeTicketsResponseSchema } from '../../../../../contracts/agents.ts';
import { apiRequest } from '../../../../staff/http.ts';
import { ticketKeys } from './keys.ts';

/** POST /api/agent/tickets/:id/merge: ticket `mergedId` joins ticket `keptId`'s conversation. */
export function mergeTickets(keptId: string, mergedId: string) {
  return apiRequest(`/api/agent/tickets/${encodeURIComponent(keptId)}/merge`, mergeTicketsResponseSchema, {
    method: 'POST',
    body: { ticket_id: mergedId },
  });
}

export function useMergeTickets(keptId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (mergedId: string) => mergeTickets(keptId, mergedId),
    // Both conversations, the panel and the queues changed: everything under the tickets root is read again.
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ticketKeys.all }),
  });
}
