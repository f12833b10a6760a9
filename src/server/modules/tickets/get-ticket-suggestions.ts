import type { Suggestion } from '../../../contracts/bot.ts';
import type { Db } from '../../db/index.ts';
import { suggestReplies } from '../bot/index.ts';
import { listRecentCustomerMessages } from './messages.repo.ts';
import { refusal } from './outcomes.ts';
import { findTicketById } from './tickets.repo.ts';

/** How many of the customer's latest messages suggestions read. */
const CONVERSATION_MESSAGES = 5;

/**
 * GET /api/agent/tickets/:id/suggestions: replies an agent can insert, in the ticket's language, for the
 * customer's latest messages (the opening message when there are none). The bot ranks them.
 */
export async function getTicketSuggestions(options: { db: Db; ticketId: string }): Promise<Suggestion[]> {
  const { db, ticketId } = options;
  const ticket = await findTicketById(db, ticketId);
  if (!ticket) throw refusal({ outcome: 'not_found' });
  const messages = await listRecentCustomerMessages(db, ticketId, CONVERSATION_MESSAGES);
  const conversation = (messages.length ? messages : [ticket.message]).join('\n');
  return suggestReplies({ db, conversation, lang: ticket.lang });
}
