import { CUSTOMER_PANEL_LIMITS, type CustomerPanel } from '../../../contracts/agents.ts';
import type { Db } from '../../db/index.ts';
import { listCustomerOrders } from '../orders/index.ts';
import { listTicketsOfEmail } from './merge.repo.ts';
import { refusal } from './outcomes.ts';
import { findTicketById, toAgentTicket } from './tickets.repo.ts';

/**
 * GET /api/agent/tickets/:id/customer: beside a ticket, its customer's other tickets (same e-mail
 * address, any case; newest first, merged ones included with `merged_into`) and their orders (the
 * orders module's, by the same address).
 */
export async function getCustomerPanel(options: { db: Db; ticketId: string }): Promise<CustomerPanel> {
  const ticket = await findTicketById(options.db, options.ticketId);
  if (!ticket) throw refusal({ outcome: 'not_found' });
  const [tickets, orders] = await Promise.all([
    listTicketsOfEmail(options.db, ticket.email, ticket.id, CUSTOMER_PANEL_LIMITS.tickets),
    listCustomerOrders(options.db, ticket.email, CUSTOMER_PANEL_LIMITS.orders),
  ]);
  return { email: ticket.email, tickets: tickets.map(toAgentTicket), orders };
}
