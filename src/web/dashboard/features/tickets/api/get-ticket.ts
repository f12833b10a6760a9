import { useQuery } from '@tanstack/react-query';
import { agentTicketDetailSchema, type AgentTicketDetail } from '../../../../../contracts/agents.ts';
import { apiRequest } from '../../../../staff/http.ts';
import { ticketKeys } from './keys.ts';

/** The ticket, its newest messages (oldest first) and the linked order when there is one. */
export type TicketDetail = AgentTicketDetail;

export function getTicket(id: string, signal?: AbortSignal) {
  return apiRequest(`/api/agent/tickets/${encodeURIComponent(id)}`, agentTicketDetailSchema, { signal });
}

export function useTicket(id: string) {
  return useQuery({ queryKey: ticketKeys.detail(id), queryFn: ({ signal }) => getTicket(id, signal) });
}
