import type { Lang } from '../../../contracts/common.ts';
import { DEBUG_RECENT_TICKETS } from '../../../contracts/debug.ts';
import type { TicketPriority, TicketStatus } from '../../../contracts/tickets.ts';
import type { Queryable } from '../../db/index.ts';

export type DebugTicketRow = {
  id: string;
  email: string;
  status: TicketStatus;
  priority: TicketPriority;
  lang: Lang;
  order_number: string | null;
  message_count: number;
  created_at: Date;
  updated_at: Date;
  last_agent_reply_at: Date | null;
  resolved_at: Date | null;
};

/** The newest tickets (idx_support_requests_created); the message count is the ticket's last seq. */
export async function listRecentTickets(q: Queryable, limit: number = DEBUG_RECENT_TICKETS): Promise<DebugTicketRow[]> {
  const { rows } = await q.query<DebugTicketRow>(
    `SELECT id, email, status, priority, lang, order_number, last_message_seq AS message_count,
            created_at, updated_at, last_agent_reply_at, resolved_at
       FROM support_requests
      ORDER BY created_at DESC
      LIMIT $1`,
    [limit],
  );
  return rows;
}
