import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { agentTicketDetailSchema } from '../../../../../contracts/agents.ts';
import { apiRequest } from '../../../lib/http.ts';
import { ticketKeys } from './keys.ts';

/** The order linked to the ticket, when the API joins one (`GET /api/orders/track`'s shape). */
export const linkedOrderSchema = z.object({
  number: z.string(),
  status: z.string(),
  eta: z.string().nullable().optional(),
  events: z.array(z.looseObject({ status: z.string().optional(), at: z.string().optional() })).optional(),
});
export type LinkedOrder = z.infer<typeof linkedOrderSchema>;

export const ticketDetailSchema = agentTicketDetailSchema.extend({ order: linkedOrderSchema.nullable().optional() });
export type TicketDetail = z.infer<typeof ticketDetailSchema>;

export function getTicket(id: string, signal?: AbortSignal) {
  return apiRequest(`/api/agent/tickets/${encodeURIComponent(id)}`, ticketDetailSchema, { signal });
}

/** The ticket with its newest messages (oldest first). */
export function useTicket(id: string) {
  return useQuery({ queryKey: ticketKeys.detail(id), queryFn: ({ signal }) => getTicket(id, signal) });
}
