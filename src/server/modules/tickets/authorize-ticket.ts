import type { Ticket } from '../../../contracts/tickets.ts';
import type { Db, Queryable } from '../../db/index.ts';
import { refusal } from './outcomes.ts';
import { hashTicketToken } from './ticket-token.ts';
import { findTicketOpenedBy, toTicket, type TicketRow } from './tickets.repo.ts';

/**
 * The ticket a customer may see with this token (the ticket's own, or an e-mailed link's). A missing
 * token is 401; an unknown ticket and a token of another ticket are the same 404, reached by the same
 * work (the token is hashed first and one statement checks it, whether or not the id exists:
 * tf_token_opens_ticket, the one token check, which the customer's send uses too), so neither the answer
 * nor its time tells whether a ticket id exists.
 */
export async function authorizeTicket(q: Queryable, ticketId: string, token: string | null): Promise<TicketRow> {
  if (!token) throw refusal({ outcome: 'token_required' });
  const row = await findTicketOpenedBy(q, ticketId, hashTicketToken(token));
  if (!row) throw refusal({ outcome: 'not_found' });
  return row;
}

/** GET /api/tickets/:id: the ticket, for its customer. */
export async function getTicket(options: { db: Db; ticketId: string; token: string | null }): Promise<Ticket> {
  return toTicket(await authorizeTicket(options.db, options.ticketId, options.token));
}
