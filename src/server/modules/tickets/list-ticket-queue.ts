import type { TicketQueueQuery, TicketQueueResponse } from '../../../contracts/agents.ts';
import type { Db } from '../../db/index.ts';
import { listQueue } from './queue.repo.ts';
import { toAgentTicket } from './tickets.repo.ts';

/** GET /api/agent/tickets: one page of the queue, filtered, searched and sorted. */
export async function listTicketQueue(options: { db: Db; query: TicketQueueQuery }): Promise<TicketQueueResponse> {
  const { query } = options;
  const { rows, total } = await listQueue(options.db, query);
  return {
    tickets: rows.map(toAgentTicket),
    pagination: { page: query.page, limit: query.limit, total, totalPages: Math.ceil(total / query.limit) },
  };
}
