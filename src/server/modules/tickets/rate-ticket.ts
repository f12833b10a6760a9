import type { RatingBody } from '../../../contracts/agents.ts';
import type { Db } from '../../db/index.ts';
import { iso } from '../../db/rows.ts';
import { authorizeTicket } from './authorize-ticket.ts';
import { refusal } from './outcomes.ts';
import { insertRating } from './ratings.repo.ts';
import { lockTicket } from './tickets.repo.ts';

/**
 * POST /api/tickets/:id/rating: the customer's satisfaction rating of a resolved or closed ticket. One
 * per ticket: a unique index decides between racing ratings, and the second answers 409 like a later one.
 * A ticket merged into another is not rated (409): its conversation, to rate, is the kept ticket's.
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
    if (!ticket) throw refusal({ outcome: 'not_found' });
    if (ticket.merged_into) throw refusal({ outcome: 'merged', into: ticket.merged_into, lang: ticket.lang });
    if (ticket.status !== 'resolved' && ticket.status !== 'closed') {
      throw refusal({ outcome: 'not_resolved', lang: ticket.lang });
    }
    const comment = rating.comment ? rating.comment : null;
    const stored = await insertRating(tx, { ticketId: ticket.id, score: rating.score, comment });
    if (!stored) throw refusal({ outcome: 'already_rated', lang: ticket.lang });
    return { score: rating.score, comment, created_at: iso(stored.created_at) };
  });
}
