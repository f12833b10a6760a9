import type { Queryable } from '../../db/index.ts';

/**
 * The median of the first agent responses (one per ticket, recorded by the trigger) given since `since`,
 * in seconds, computed by PostgreSQL (`percentile_cont(0.5)` over the index range of `agent_response`
 * rows); null when there was none.
 */
export async function medianFirstResponseSeconds(q: Queryable, since: Date): Promise<number | null> {
  const { rows } = await q.query<{ median: number | null }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY response_time_seconds)::float8 AS median
       FROM support_analytics
      WHERE metric_type = 'agent_response' AND created_at >= $1 AND response_time_seconds IS NOT NULL`,
    [since],
  );
  const median = rows[0]?.median;
  return median === null || median === undefined ? null : Number(median);
}
