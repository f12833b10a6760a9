import type { Queryable } from '../../db/index.ts';

/**
 * The customer's satisfaction rating, stored as a `user_satisfaction` analytics row (metadata {score,
 * comment}). A unique index keeps one per ticket: null when the ticket already has one.
 */
export async function insertRating(
  tx: Queryable,
  r: { ticketId: string; score: number; comment: string | null },
): Promise<{ created_at: Date } | null> {
  const { rows } = await tx.query<{ created_at: Date }>(
    `INSERT INTO support_analytics (metric_type, request_id, metadata)
     VALUES ('user_satisfaction', $1, $2)
     ON CONFLICT (request_id) WHERE metric_type = 'user_satisfaction' DO NOTHING
     RETURNING created_at`,
    [r.ticketId, JSON.stringify({ score: r.score, comment: r.comment })],
  );
  return rows[0] ?? null;
}

/** The ticket's rating (its analytics row), or null when the customer has not rated it. */
export async function findRating(
  q: Queryable,
  ticketId: string,
): Promise<{ id: string; score: number; comment: string | null; created_at: Date } | null> {
  const { rows } = await q.query<{ id: string; metadata: { score: number; comment: string | null }; created_at: Date }>(
    `SELECT id, metadata, created_at FROM support_analytics WHERE request_id = $1 AND metric_type = 'user_satisfaction'`,
    [ticketId],
  );
  const r = rows[0];
  return r ? { id: r.id, score: r.metadata.score, comment: r.metadata.comment ?? null, created_at: r.created_at } : null;
}
