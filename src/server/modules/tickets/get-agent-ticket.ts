import { AGENT_LIMITS, type AgentTicketDetail } from '../../../contracts/agents.ts';
import type { Db } from '../../db/index.ts';
import { findOrderForTicket } from '../orders/index.ts';
import { getTicketTimeline } from './get-ticket-timeline.ts';
import { listAgentMessages } from './list-messages.ts';
import { refusal } from './outcomes.ts';
import { findTicketById, toAgentTicket } from './tickets.repo.ts';

/** GET /api/agent/tickets/:id: the ticket, its latest messages, its order and its internal timeline, for the staff. */
export async function getAgentTicket(options: { db: Db; ticketId: string }): Promise<AgentTicketDetail> {
  const ticket = await findTicketById(options.db, options.ticketId);
  if (!ticket) throw refusal({ outcome: 'not_found' });
  const page = await listAgentMessages({ db: options.db, ticketId: ticket.id, limit: AGENT_LIMITS.detailMessages });
  const [order, timeline] = await Promise.all([findOrderForTicket(options.db, ticket), getTicketTimeline(options.db, ticket.id)]);
  return { ticket: toAgentTicket(ticket), ...page, order, timeline };
}
