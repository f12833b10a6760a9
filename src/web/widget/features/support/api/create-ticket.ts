import type { Lang } from '../../../../../contracts/common.ts';
import type { Ticket } from '../../../../../contracts/tickets.ts';
import { apiRequest } from '../../../../lib/api-client.ts';

export type CreateTicketInput = { email: string; message: string; lang: Lang; orderNumber?: string; clientId: string };

/**
 * Opens a ticket. The `clientId` makes a retry return the same ticket instead of a second one, so
 * network errors and 5xx are retried; `lang` is stored as the customer's language for e-mails.
 */
export function createTicket(input: CreateTicketInput): Promise<{ ticket: Ticket; token: string }> {
  const body: Record<string, string> = { email: input.email, message: input.message, lang: input.lang, clientId: input.clientId };
  if (input.orderNumber) body.orderNumber = input.orderNumber;
  return apiRequest('/api/tickets', { method: 'POST', body, retry: { maxRetries: 2 } });
}
