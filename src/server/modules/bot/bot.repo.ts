import type { Queryable } from '../../db/index.ts';

/** The customer's latest messages on a ticket, oldest first: what suggested replies answer. */
export async function listRecentCustomerMessages(q: Queryable, ticketId: string, limit: number): Promise<string[]> {
  const { rows } = await q.query<{ body: string }>(
    `SELECT body FROM (
       SELECT body, seq FROM support_messages
        WHERE request_id = $1 AND author_type = 'user'
        ORDER BY seq DESC LIMIT $2
     ) recent ORDER BY seq`,
    [ticketId, limit],
  );
  return rows.map((r) => r.body);
}
