import type { Queryable } from '../../db/index.ts';

/**
 * Whether this message is a customer's answer: written by the customer after the ticket was opened, not
 * with it (the opening message and a chat thread before it are inserted by the transaction that created
 * the ticket, so they share the row version's transaction id, xmin, with the ticket's first message).
 */
export async function isCustomerAnswer(q: Queryable, ticketId: string, messageId: string): Promise<boolean> {
  const { rows } = await q.query<{ answer: boolean }>(
    `SELECT m.author_type = 'user' AND m.xmin::text <> f.xmin::text AS answer
       FROM support_messages m
       JOIN LATERAL (SELECT xmin FROM support_messages WHERE request_id = $1 ORDER BY seq LIMIT 1) f ON true
      WHERE m.id = $2 AND m.request_id = $1`,
    [ticketId, messageId],
  );
  return rows[0]?.answer ?? false;
}
