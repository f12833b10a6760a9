import type { RatingBody } from '../../../contracts/agents.ts';
import type { Db } from '../../db/index.ts';
import { iso } from '../../db/rows.ts';
import { AppError } from '../../http/app-error.ts';
import { authorizeTicket } from '../tickets/tickets.service.ts';
import { lockTicket } from '../tickets/tickets.repo.ts';

/**
 * The customer's satisfaction rating of a resolved or closed ticket, stored as a `user_satisfaction`
 * analytics row (metadata {score, comment}). One per ticket: a unique index decides between racing
 * ratings, and the second answers 409 like a later one.
 */
export async function rateTicket(options: {
  db: Db;
  ticketId: string;
  token: string | null;
  rating: RatingBody;
}): Promise<{ score: number; comment: string | null; created_at: string }> {
  const { db, rating } = options;
  await authorizeTicket(db, options.ticketId, options.token);
  return db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, options.ticketId);
    if (!ticket) throw new AppError('not_found', { reason: 'ticket_not_found' });
    if (ticket.status !== 'resolved' && ticket.status !== 'closed') {
      throw new AppError('conflict', { reason: 'rating_not_resolved', lang: ticket.lang });
    }
    const comment = rating.comment ? rating.comment : null;
    const { rows } = await tx.query<{ created_at: Date }>(
      `INSERT INTO support_analytics (metric_type, request_id, metadata)
       VALUES ('user_satisfaction', $1, $2)
       ON CONFLICT (request_id) WHERE metric_type = 'user_satisfaction' DO NOTHING
       RETURNING created_at`,
      [ticket.id, JSON.stringify({ score: rating.score, comment })],
    );
    if (!rows[0]) throw new AppError('conflict', { reason: 'already_rated', lang: ticket.lang });
    return { score: rating.score, comment, created_at: iso(rows[0].created_at) };
  });
}
