import type { Queryable } from '../../db/index.ts';
import { countsPerDay, type ReportRange } from './analytics-report.repo.ts';

// The team's figures of the analytics page (issue 16), computed by PostgreSQL over [start, end) from
// support_analytics, this module's table: each query reads the metric_type/created_at index range.

export type AgentFigures = {
  agent_id: string;
  first_responses: number;
  avg_first_response: number | null;
  resolved: number;
  avg_resolution: number | null;
  replies: number;
};

/**
 * Per agent: first responses (the trigger's `agent_response` rows) and their average time, tickets the
 * agent resolved (`ticket_resolved`) and their average resolution time, and replies sent (`message_sent`
 * rows written by an agent).
 */
export async function perAgentFigures(q: Queryable, r: ReportRange): Promise<AgentFigures[]> {
  const { rows } = await q.query<AgentFigures>(
    `SELECT agent_id::text AS agent_id,
            count(*) FILTER (WHERE metric_type = 'agent_response')::int AS first_responses,
            round(avg(response_time_seconds) FILTER (WHERE metric_type = 'agent_response'), 2)::float8 AS avg_first_response,
            count(*) FILTER (WHERE metric_type = 'ticket_resolved')::int AS resolved,
            round(avg(resolution_time_seconds) FILTER (WHERE metric_type = 'ticket_resolved'), 2)::float8 AS avg_resolution,
            count(*) FILTER (WHERE metric_type = 'message_sent')::int AS replies
       FROM support_analytics
      WHERE metric_type IN ('agent_response', 'ticket_resolved', 'message_sent')
        AND created_at >= $1 AND created_at < $2 AND agent_id IS NOT NULL
      GROUP BY agent_id
      ORDER BY count(*) FILTER (WHERE metric_type = 'message_sent') DESC, agent_id`,
    [r.start, r.end],
  );
  return rows;
}

/** Tickets escalated for lack of a reply (`timeout_escalation` rows) in the range. */
export async function escalationCount(q: Queryable, r: ReportRange): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM support_analytics
      WHERE metric_type = 'timeout_escalation' AND created_at >= $1 AND created_at < $2`,
    [r.start, r.end],
  );
  return rows[0]!.n;
}

/** Messages written on each UTC day of the range (days without any included), by the customers and by agents. */
export function messagesPerDay(
  q: Queryable,
  r: ReportRange,
): Promise<Array<{ date: string; count: number; customer: number; agent: number }>> {
  return countsPerDay(
    q,
    r,
    'support_analytics',
    {
      count: 'count(*)',
      customer: "count(*) FILTER (WHERE metadata->>'author_type' = 'user')",
      agent: "count(*) FILTER (WHERE metadata->>'author_type' = 'agent')",
    },
    "metric_type = 'message_sent'",
  );
}

/** The ratings given in the range, newest first, with their comments (at most `limit`). */
export async function ratingList(
  q: Queryable,
  r: ReportRange,
  limit: number,
): Promise<Array<{ ticket_id: string; score: number; comment: string | null; created_at: Date }>> {
  const { rows } = await q.query<{ ticket_id: string; score: number; comment: string | null; created_at: Date }>(
    `SELECT request_id::text AS ticket_id, (metadata->>'score')::int AS score, nullif(metadata->>'comment', '') AS comment, created_at
       FROM support_analytics
      WHERE metric_type = 'user_satisfaction' AND created_at >= $1 AND created_at < $2 AND request_id IS NOT NULL
      ORDER BY created_at DESC, id
      LIMIT $3`,
    [r.start, r.end, limit],
  );
  return rows;
}
