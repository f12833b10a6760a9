import type { AgentMessage, AgentTicket, TicketQueueQuery } from '../../../contracts/agents.ts';
import type { TicketPriority, TicketStatus } from '../../../contracts/tickets.ts';
import type { Queryable } from '../../db/index.ts';
import { isoOrNull } from '../../db/rows.ts';
import { toMessage, type MessageRow } from '../messages/messages.repo.ts';
import { toTicket, type TicketRow } from '../tickets/tickets.repo.ts';

export function toAgentTicket(row: TicketRow): AgentTicket {
  return { ...toTicket(row), resolved_at: isoOrNull(row.resolved_at), last_message_seq: row.last_message_seq };
}

export function toAgentMessage(row: MessageRow): AgentMessage {
  return { ...toMessage(row), agent_id: row.agent_id };
}

/** `%text%` for ILIKE, with the user's own %, _ and \ matching literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

// Whitelisted ORDER BY clauses; each matches an index (0001 / 0003) so the queue reads no more rows than a page.
const ORDER_BY = {
  created_at: (dir: string) => `created_at ${dir}, id ${dir}`,
  updated_at: (dir: string) => `updated_at ${dir}, id ${dir}`,
  priority: (dir: string) => `ticket_priority_rank(priority) ${dir}, created_at ${dir}, id ${dir}`,
} as const;

/**
 * One page of the agent queue and the number of tickets matching the filters. Only the conditions in
 * use are written into the SQL, so the planner sees each combination plainly and picks its index.
 */
export async function listQueue(
  q: Queryable,
  f: Pick<TicketQueueQuery, 'status' | 'priority' | 'q' | 'sort' | 'order' | 'page' | 'limit'>,
): Promise<{ rows: TicketRow[]; total: number }> {
  // Each filter as a function of the table alias: the search below repeats them inside its branches.
  const filters: Array<(alias: string) => string> = [];
  const params: unknown[] = [];
  if (f.status !== 'all') {
    params.push(f.status satisfies TicketStatus);
    const p = `$${params.length}`;
    filters.push((a) => `${a}.status = ${p}`);
  }
  if (f.priority) {
    params.push(f.priority satisfies TicketPriority);
    const p = `$${params.length}`;
    filters.push((a) => `${a}.priority = ${p}`);
  }
  const where = filters.map((w) => w('r'));
  if (f.q) {
    params.push(likePattern(f.q));
    const p = `$${params.length}`;
    // One OR-free branch per searched column, each carrying the other filters: the planner costs each on
    // its own and picks the pg_trgm GIN index (0008) or, when a status filter leaves few tickets, that
    // filter's b-tree and a probe of each ticket's messages by key. An OR of the three columns would
    // force one strategy on all of them: a full read, or a probe of every ticket (docs/query-plans.md).
    const and = (a: string, cond: string) => [...filters.map((w) => w(a)), cond].join(' AND ');
    const messages = filters.length
      ? `SELECT m.request_id FROM support_messages m JOIN support_requests s ON s.id = m.request_id WHERE ${and('s', `m.body ILIKE ${p}`)}`
      : `SELECT m.request_id FROM support_messages m WHERE m.body ILIKE ${p}`;
    where.push(
      `r.id IN (SELECT s.id FROM support_requests s WHERE ${and('s', `s.email ILIKE ${p}`)}
                UNION ALL SELECT s.id FROM support_requests s WHERE ${and('s', `s.message ILIKE ${p}`)}
                UNION ALL ${messages})`,
    );
  }
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const dir = f.order === 'asc' ? 'ASC' : 'DESC';
  const countParams = [...params];
  params.push(f.limit, (f.page - 1) * f.limit);
  const [page, count] = await Promise.all([
    q.query<TicketRow>(
      `SELECT r.* FROM support_requests r ${whereSql}
        ORDER BY ${ORDER_BY[f.sort](dir)}
        LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    ),
    q.query<{ n: number }>(`SELECT count(*)::int AS n FROM support_requests r ${whereSql}`, countParams),
  ]);
  return { rows: page.rows, total: count.rows[0]!.n };
}

export async function updateTicketFields(
  tx: Queryable,
  id: string,
  changes: { status: TicketStatus; priority: TicketPriority },
): Promise<TicketRow> {
  const { rows } = await tx.query<TicketRow>(
    `UPDATE support_requests
        SET status = $2, priority = $3, updated_at = now(),
            resolved_at = CASE WHEN $2 IN ('resolved', 'closed') THEN coalesce(resolved_at, now()) ELSE NULL END
      WHERE id = $1 RETURNING *`,
    [id, changes.status, changes.priority],
  );
  return rows[0]!;
}

export async function insertAgentAction(
  tx: Queryable,
  a: { ticketId: string; agentId: string; action: string; details: Record<string, unknown> },
): Promise<void> {
  await tx.query('INSERT INTO agent_actions (ticket_id, agent_id, action, details) VALUES ($1, $2, $3, $4)', [
    a.ticketId,
    a.agentId,
    a.action,
    JSON.stringify(a.details),
  ]);
}
