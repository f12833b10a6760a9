import type { Intent, TicketPriority, TicketStatus } from '../../../contracts/tickets.ts';
import type { Queryable } from '../../db/index.ts';

/**
 * Aggregates of the dashboard, computed by PostgreSQL over [start, end): each query reads one index
 * range (support_requests by created_at, support_analytics by metric_type and created_at), never the
 * whole table — see docs/query-plans.md. Averages are rounded to 0.01 s.
 */
export type ReportRange = { start: Date; end: Date; firstDay: string; lastDay: string };

export async function ticketCounts(
  q: Queryable,
  r: ReportRange,
): Promise<Array<{ status: TicketStatus; priority: TicketPriority; n: number }>> {
  const { rows } = await q.query<{ status: TicketStatus; priority: TicketPriority; n: number }>(
    `SELECT status, priority, count(*)::int AS n
       FROM support_requests
      WHERE created_at >= $1 AND created_at < $2
      GROUP BY status, priority`,
    [r.start, r.end],
  );
  return rows;
}

/**
 * One row per UTC day of the range, days without any rows included (their counts 0): `counts` maps each
 * output column to its aggregate (`count(*)`, `count(*) FILTER (...)`) over the rows of `table` created in
 * the range that match `where`. Table, aggregates and condition are SQL written in this module, never input.
 */
export async function countsPerDay<C extends string>(
  q: Queryable,
  r: ReportRange,
  table: string,
  counts: Record<C, string>,
  where = 'true',
): Promise<Array<{ date: string } & Record<C, number>>> {
  const columns = Object.entries<string>(counts);
  const { rows } = await q.query<{ date: string } & Record<C, number>>(
    `SELECT to_char(d.day, 'YYYY-MM-DD') AS date, ${columns.map(([name]) => `coalesce(c.${name}, 0)::int AS ${name}`).join(', ')}
       FROM generate_series($3::date, $4::date, interval '1 day') AS d(day)
       LEFT JOIN (
         SELECT (created_at AT TIME ZONE 'UTC')::date AS day, ${columns.map(([name, aggregate]) => `${aggregate} AS ${name}`).join(', ')}
           FROM ${table}
          WHERE ${where} AND created_at >= $1 AND created_at < $2
          GROUP BY 1
       ) c ON c.day = d.day::date
      ORDER BY d.day`,
    [r.start, r.end, r.firstDay, r.lastDay],
  );
  return rows;
}

/** Tickets created on each UTC day of the range, days without any included. */
export function ticketsPerDay(q: Queryable, r: ReportRange): Promise<Array<{ date: string; count: number }>> {
  return countsPerDay(q, r, 'support_requests', { count: 'count(*)' });
}

/** First agent responses recorded in the range (one per ticket, by the trigger). */
export async function responseTimes(
  q: Queryable,
  r: ReportRange,
): Promise<{ n: number; avg: number | null; p90: number | null }> {
  const { rows } = await q.query<{ n: number; avg: number | null; p90: number | null }>(
    `SELECT count(response_time_seconds)::int AS n,
            round(avg(response_time_seconds), 2)::float8 AS avg,
            round(percentile_cont(0.9) WITHIN GROUP (ORDER BY response_time_seconds)::numeric, 2)::float8 AS p90
       FROM support_analytics
      WHERE metric_type = 'agent_response' AND created_at >= $1 AND created_at < $2`,
    [r.start, r.end],
  );
  return rows[0]!;
}

export async function resolutionTimes(q: Queryable, r: ReportRange): Promise<{ n: number; avg: number | null }> {
  const { rows } = await q.query<{ n: number; avg: number | null }>(
    `SELECT count(resolution_time_seconds)::int AS n, round(avg(resolution_time_seconds), 2)::float8 AS avg
       FROM support_analytics
      WHERE metric_type = 'ticket_resolved' AND created_at >= $1 AND created_at < $2`,
    [r.start, r.end],
  );
  return rows[0]!;
}

/** Intents of the tickets created in the range; a ticket with none counts as `unknown`. */
export async function intentCounts(q: Queryable, r: ReportRange): Promise<Array<{ intent: Intent; n: number }>> {
  const { rows } = await q.query<{ intent: Intent; n: number }>(
    `SELECT coalesce(user_intent, 'unknown') AS intent, count(*)::int AS n
       FROM support_analytics
      WHERE metric_type = 'ticket_created' AND created_at >= $1 AND created_at < $2
      GROUP BY 1`,
    [r.start, r.end],
  );
  return rows;
}

export async function satisfaction(
  q: Queryable,
  r: ReportRange,
): Promise<{ n: number; avg: number | null; s1: number; s2: number; s3: number; s4: number; s5: number }> {
  const { rows } = await q.query<{ n: number; avg: number | null; s1: number; s2: number; s3: number; s4: number; s5: number }>(
    `SELECT count(score)::int AS n, round(avg(score), 2)::float8 AS avg,
            count(*) FILTER (WHERE score = 1)::int AS s1, count(*) FILTER (WHERE score = 2)::int AS s2,
            count(*) FILTER (WHERE score = 3)::int AS s3, count(*) FILTER (WHERE score = 4)::int AS s4,
            count(*) FILTER (WHERE score = 5)::int AS s5
       FROM (SELECT (metadata->>'score')::int AS score
               FROM support_analytics
              WHERE metric_type = 'user_satisfaction' AND created_at >= $1 AND created_at < $2) s`,
    [r.start, r.end],
  );
  return rows[0]!;
}

/** Tickets whose status is `open` now, whatever their age (the partial index on open tickets). */
export async function openTicketCount(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM support_requests WHERE status = 'open'`);
  return Number(rows[0]!.n);
}
