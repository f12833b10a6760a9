import type { Message, MessagePage, Ticket } from '../../../../../contracts/tickets.ts';
import { apiRequest } from '../../../../lib/api-client.ts';

/** Query keys of a ticket, defined once: the realtime handler invalidates them on an agent reply. */
export const ticketKeys = {
  ticket: (id: string) => ['ticket', id] as const,
  messages: (id: string) => ['messages', id] as const,
};

export const MESSAGES_PAGE_SIZE = 20;

// Reads run inside React Query, which retries them (lib/query-client.ts): no second retry layer here.

export function getTicket(id: string, token: string, signal?: AbortSignal): Promise<{ ticket: Ticket }> {
  return apiRequest(`/api/tickets/${encodeURIComponent(id)}`, { token, signal, retry: false });
}

/** One page of the conversation: without a cursor the newest, then older ones (oldest first inside). */
export function listMessages(id: string, token: string, cursor: string | null, signal?: AbortSignal): Promise<MessagePage> {
  return apiRequest(`/api/tickets/${encodeURIComponent(id)}/messages`, {
    token,
    signal,
    retry: false,
    query: { limit: MESSAGES_PAGE_SIZE, cursor },
  });
}

/** Idempotent thanks to `clientId`, so network errors and 5xx are retried (never a 4xx). */
export function sendMessage(id: string, token: string, body: string, clientId: string, attachmentIds?: string[]): Promise<{ message: Message }> {
  return apiRequest(`/api/tickets/${encodeURIComponent(id)}/messages`, {
    method: 'POST',
    token,
    body: attachmentIds ? { body, clientId, attachmentIds } : { body, clientId },
    retry: { maxRetries: 2 },
  });
}

export function rateTicket(id: string, token: string, score: number, comment?: string): Promise<unknown> {
  return apiRequest(`/api/tickets/${encodeURIComponent(id)}/rating`, {
    method: 'POST',
    token,
    body: comment ? { score, comment } : { score },
  });
}
