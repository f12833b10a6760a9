import { randomUUID } from 'node:crypto';
import type autocannon from 'autocannon';

export type BenchTicket = { id: string; token: string };

/**
 * autocannon's request list for customer sends: POST /api/tickets/:id/messages round-robin over the
 * tickets with each ticket's token, the n-th body `${label} message ${n}` (n counted on from `start`).
 */
export function customerSendRequests(tickets: BenchTicket[], label: string, start = 0): autocannon.Request[] {
  let i = start;
  return [
    {
      method: 'POST',
      setupRequest: (req) => {
        const t = tickets[i++ % tickets.length]!;
        return {
          ...req,
          path: `/api/tickets/${t.id}/messages`,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` },
          body: JSON.stringify({ body: `${label} message ${i}`, clientId: randomUUID() }),
        };
      },
    },
  ];
}
