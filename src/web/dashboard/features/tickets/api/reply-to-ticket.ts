import { useMutation, useQueryClient } from '@tanstack/react-query';
import { agentMessageResponseSchema, type AgentMessage } from '../../../../../contracts/agents.ts';
import { apiRequest } from '../../../../staff/http.ts';
import type { TicketDetail } from './get-ticket.ts';
import { ticketKeys } from './keys.ts';

/** `clientId` is drawn once per draft: a resend after a lost answer stores the reply (and its e-mail) once. */
export function replyToTicket(id: string, body: string, clientId: string, attachmentIds: string[] = []) {
  return apiRequest(`/api/agent/tickets/${encodeURIComponent(id)}/messages`, agentMessageResponseSchema, {
    method: 'POST',
    body: attachmentIds.length ? { body, clientId, attachmentIds } : { body, clientId },
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
    mutationFn: ({ body, clientId, attachmentIds }: { body: string; clientId: string; attachmentIds?: string[] }) =>
      replyToTicket(id, body, clientId, attachmentIds),
    onSuccess: ({ message }) => {
      queryClient.setQueryData<TicketDetail>(ticketKeys.detail(id), (old) => appendMessage(old, message));
      void queryClient.invalidateQueries({ queryKey: ticketKeys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: ticketKeys.queues() });
    },
  });
}
