import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Lang } from '../../contracts/common.ts';
import type { Ticket } from '../../contracts/tickets.ts';

let counter = 0;

/** A unique, valid customer address. */
export function uniqueEmail(prefix = 'customer'): string {
  counter += 1;
  return `${prefix}.${Date.now().toString(36)}.${counter}.${randomUUID().slice(0, 8)}@example.com`;
}

export type TicketInput = { email?: string; message?: string; lang?: Lang; orderNumber?: string; clientId?: string };

/** Opens a ticket through the API; returns the ticket and its token. */
export async function createTicketViaApi(
  app: FastifyInstance,
  input: TicketInput = {},
): Promise<{ ticket: Ticket; token: string }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/tickets',
    payload: { email: uniqueEmail(), message: 'Où est ma commande ?', ...input },
  });
  if (res.statusCode !== 201) throw new Error(`createTicketViaApi: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** Sends a customer message through the API. */
export async function sendMessageViaApi(
  app: FastifyInstance,
  ticket: { id: string },
  token: string,
  body = 'Un message',
  clientId: string = randomUUID(),
) {
  return app.inject({
    method: 'POST',
    url: `/api/tickets/${ticket.id}/messages`,
    headers: { authorization: `Bearer ${token}` },
    payload: { body, clientId },
  });
}
