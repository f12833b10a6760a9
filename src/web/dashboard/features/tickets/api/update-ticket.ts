import { useMutation, useQueryClient } from '@tanstack/react-query';
import { agentTicketResponseSchema, type UpdateTicketBody } from '../../../../../contracts/agents.ts';
import { apiRequest } from '../../../../staff/http.ts';
import type { TicketDetail } from './get-ticket.ts';
import { ticketKeys } from './keys.ts';

export function updateTicket(id: string, body: UpdateTicketBody) {
  return apiRequest(`/api/agent/tickets/${encodeURIComponent(id)}`, agentTicketResponseSchema, { method: 'PATCH', body });
}

export function useUpdateTicket(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateTicketBody) => updateTicket(id, body),
    onSuccess: ({ ticket }) => {
      queryClient.setQueryData<TicketDetail>(ticketKeys.detail(id), (old) => (old ? { ...old, ticket } : old));
      void queryClient.invalidateQueries({ queryKey: ticketKeys.queues() });
    },
  });
}
