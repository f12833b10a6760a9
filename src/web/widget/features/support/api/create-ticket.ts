import type { Lang } from '../../../../../contracts/common.ts';
import type { Ticket } from '../../../../../contracts/tickets.ts';
import { apiRequest } from '../../../../lib/api-client.ts';

export type CreateTicketInput = { email: string; message: string; lang: Lang; orderNumber?: string; clientId: string; conversationToken?: string };

// One secret per clientId, kept in this page only: the server gives a retried creation its ticket's
// token only when it repeats the first request's secret (the clientId alone is no proof of authorship).
const clientSecrets = new Map<string, string>();

function clientSecretFor(clientId: string): string {
  let secret = clientSecrets.get(clientId);
  if (!secret) {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    secret = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    clientSecrets.set(clientId, secret);
  }
  return secret;
}

/**
 * Opens a ticket. The `clientId` and its secret make a retry return the same ticket and token instead of
 * a second ticket, so network errors and 5xx are retried; `lang` is stored as the customer's language
 * for e-mails when none is yet.
 */
export async function createTicket(input: CreateTicketInput): Promise<{ ticket: Ticket; token: string }> {
  const body: Record<string, string> = {
    email: input.email,
    message: input.message,
    lang: input.lang,
    clientId: input.clientId,
    clientSecret: clientSecretFor(input.clientId),
  };
  if (input.orderNumber) body.orderNumber = input.orderNumber;
  // The bot thread becomes the ticket's first messages.
  if (input.conversationToken) body.conversationToken = input.conversationToken;
  const created = await apiRequest<{ ticket: Ticket; token: string }>('/api/tickets', { method: 'POST', body, retry: { maxRetries: 2 } });
  clientSecrets.delete(input.clientId);
  return created;
}
