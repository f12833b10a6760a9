import { useQuery } from '@tanstack/react-query';
import { customerPanelSchema } from '../../../../../contracts/agents.ts';
import { apiRequest } from '../../../../staff/http.ts';
import { ticketKeys } from './keys.ts';

/** GET /api/agent/tickets/:id/customer: the customer's other tickets and orders. */
export function getCustomerPanel(id: string, signal?: AbortSignal) {
  return apiRequest(`/api/agent/tickets/${encodeURIComponent(id)}/customer`, customerPanelSchema, { signal });
}

export function useCustomerPanel(id: string) {
  return useQuery({ queryKey: [...ticketKeys.all, 'customer', id], queryFn: ({ signal }) => getCustomerPanel(id, signal) });
}
