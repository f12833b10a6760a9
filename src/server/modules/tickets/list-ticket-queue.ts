import type { TicketQueueQuery, TicketQueueResponse } from '../../../contracts/agents.ts';
import type { Db } from '../../db/index.ts';
import { listQueue } from './queue.repo.ts';
import { toAgentTicket } from './tickets.repo.ts';

/** GET /api/agent/tickets: one page of the queue, filtered (`assignee=me|none|<id>`), searched and sorted. */
export async function listTicketQueue(options: { db: Db; agentId: string; query: TicketQueueQuery }): Promise<TicketQueueResponse> {
  const { query } = options;
  const assigneeId = query.assignee === 'me' ? options.agentId : query.assignee === 'none' ? null : query.assignee;
  const { rows, total } = await listQueue(options.db, { ...query, assigneeId });
  return {
    tickets: rows.map(toAgentTicket),
    pagination: { page: query.page, limit: query.limit, total, totalPages: Math.ceil(total / query.limit) },
  };
}
