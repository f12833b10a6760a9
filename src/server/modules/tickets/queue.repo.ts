import type { TicketQueueQuery } from '../../../contracts/agents.ts';
import type { TicketPriority, TicketStatus } from '../../../contracts/tickets.ts';
import type { Queryable } from '../../db/index.ts';
import type { TicketRow } from './tickets.repo.ts';

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
  f: Pick<TicketQueueQuery, 'status' | 'priority' | 'q' | 'sort' | 'order' | 'page' | 'limit'> & {
    /** null: unassigned tickets only; an agent's id: that agent's; undefined: any. */
    assigneeId?: string | null;
  },
): Promise<{ rows: TicketRow[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.assigneeId === null) where.push('assignee_id IS NULL');
  else if (f.assigneeId !== undefined) {
    params.push(f.assigneeId);
    where.push(`assignee_id = $${params.length}`);
  }
  if (f.status !== 'all') {
    params.push(f.status satisfies TicketStatus);
    where.push(`status = $${params.length}`);
  }
  if (f.priority) {
    params.push(f.priority satisfies TicketPriority);
    where.push(`priority = $${params.length}`);
  }
  const orderBy = ORDER_BY[f.sort](f.order === 'asc' ? 'ASC' : 'DESC');
  if (f.q) return searchQueue(q, { text: f.q, page: f.page, limit: f.limit }, where, params, orderBy);
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const [page, count] = await Promise.all([
    q.query<TicketRow>(
      `SELECT r.* FROM support_requests r ${whereSql}
        ORDER BY ${orderBy}
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, f.limit, (f.page - 1) * f.limit],
    ),
    q.query<{ n: number }>(`SELECT count(*)::int AS n FROM support_requests r ${whereSql}`, params),
  ]);
  return { rows: page.rows, total: count.rows[0]!.n };
}

/**
 * The queue with a text search: one OR-free branch per searched column (e-mail, opening message, any
 * message body), each carrying the filters. The planner costs each branch on its own: the column's
 * pg_trgm GIN index (0008) when the word is rare, the sort order's b-tree walked until the page is full
 * when it is common, a probe of each ticket's messages when a status leaves few tickets. An OR of the
 * columns would force one strategy on all: a full read (docs/query-plans.md). The page takes the first
 * `offset + limit` tickets of each branch, which hold the first `offset + limit` of their union.
 */
async function searchQueue(
  q: Queryable,
  f: { text: string; page: number; limit: number },
  where: string[],
  params: unknown[],
  orderBy: string,
): Promise<{ rows: TicketRow[]; total: number }> {
  const p = `$${params.length + 1}`;
  const countParams = [...params, likePattern(f.text)];
  const branches = [
    `email ILIKE ${p}`,
    `message ILIKE ${p}`,
    `EXISTS (SELECT 1 FROM support_messages m WHERE m.request_id = s.id AND m.body ILIKE ${p})`,
  ].map((match) => `SELECT s.id FROM support_requests s WHERE ${[...where, match].join(' AND ')}`);
  // Without filters the count needs no ticket row for a matching message: its request_id is enough.
  const counted = where.length ? branches : [...branches.slice(0, 2), `SELECT m.request_id FROM support_messages m WHERE m.body ILIKE ${p}`];
  const offset = (f.page - 1) * f.limit;
  const pageParams = [...countParams, f.limit, offset, offset + f.limit];
  const n = countParams.length;
  const [page, count] = await Promise.all([
    q.query<TicketRow>(
      `SELECT r.* FROM support_requests r
        WHERE r.id IN (${branches.map((b) => `(${b} ORDER BY ${orderBy} LIMIT $${n + 3})`).join(' UNION ALL ')})
        ORDER BY ${orderBy}
        LIMIT $${n + 1} OFFSET $${n + 2}`,
      pageParams,
    ),
    q.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${counted.join(' UNION ')}) u`, countParams),
  ]);
  return { rows: page.rows, total: count.rows[0]!.n };
}

/** The tickets created in [start, end), oldest first (the CSV export). */
export async function listTicketsForExport(q: Queryable, start: Date, end: Date): Promise<TicketRow[]> {
  const { rows } = await q.query<TicketRow>(
    'SELECT * FROM support_requests WHERE created_at >= $1 AND created_at < $2 ORDER BY created_at, id',
    [start, end],
  );
  return rows;
}
