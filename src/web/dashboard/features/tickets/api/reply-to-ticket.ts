import { useMutation, useQueryClient } from '@tanstack/react-query';
import { agentMessageResponseSchema, type AgentMessage } from '../../../../../contracts/agents.ts';
import { apiRequest } from '../../../lib/http.ts';
import type { TicketDetail } from './get-ticket.ts';
import { ticketKeys } from './keys.ts';

export function replyToTicket(id: string, body: string) {
  return apiRequest(`/api/agent/tickets/${encodeURIComponent(id)}/messages`, agentMessageResponseSchema, {
    method: 'POST',
    body: { body },
  });
}

/** Adds a message to the cached detail once (the same message may also arrive over the WebSocket). */
export function appendMessage(detail: TicketDetail | undefined, message: AgentMessage): TicketDetail | undefined {
  if (!detail || detail.messages.some((m) => m.id === message.id)) return detail;
  return { ...detail, messages: [...detail.messages, message].sort((a, b) => a.seq - b.seq) };
}

export function useReplyToTicket(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: string) => replyToTicket(id, body),
    onSuccess: ({ message }) => {
      queryClient.setQueryData<TicketDetail>(ticketKeys.detail(id), (old) => appendMessage(old, message));
      void queryClient.invalidateQueries({ queryKey: ticketKeys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: ticketKeys.queues() });
    },
  });
}
