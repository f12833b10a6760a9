import type { AnalyticsQuery } from '../../../contracts/agents.ts';
import type { Db } from '../../db/index.ts';
import { iso, isoOrNull } from '../../db/rows.ts';
import { listAgentNames } from '../agents/index.ts';
import { reportRange } from '../analytics/index.ts';
import { listTicketsForExport } from './queue.repo.ts';

const COLUMNS = ['id', 'created_at', 'email', 'lang', 'status', 'priority', 'order_number', 'assignee', 'resolved_at', 'last_agent_reply_at', 'message'];

/**
 * One CSV cell: always quoted, quotes doubled, and a text a spreadsheet would run as a formula (starting
 * with = + - @, a tab or a carriage return) prefixed with an apostrophe, so it is shown as text (OWASP
 * "CSV injection").
 */
export function csvCell(value: string | null): string {
  const text = value ?? '';
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/**
 * GET /api/agent/tickets.csv?from=&to=: the tickets created in the range (the analytics' bounds: dates
 * or date-times, at most 366 days), oldest first, as CSV with a header row (UTF-8, CRLF line ends).
 */
export async function exportTicketsCsv(options: { db: Db; query: AnalyticsQuery }): Promise<string> {
  const range = reportRange(options.query);
  const rows = await listTicketsForExport(options.db, range.start, range.end);
  const names = await listAgentNames(options.db, [...new Set(rows.flatMap((r) => (r.assignee_id ? [r.assignee_id] : [])))]);
  const lines = rows.map((r) =>
    [
      r.id,
      iso(r.created_at),
      r.email,
      r.lang,
      r.status,
      r.priority,
      r.order_number,
      r.assignee_id ? (names.get(r.assignee_id) ?? null) : null,
      isoOrNull(r.resolved_at),
      isoOrNull(r.last_agent_reply_at),
      r.message,
    ]
      .map(csvCell)
      .join(','),
  );
  return [COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}
