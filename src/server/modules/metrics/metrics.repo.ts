import type { ClientMetric, MetricSummaryRow } from '../../../contracts/metrics.ts';
import type { Queryable } from '../../db/index.ts';

/** Stores a batch in one statement. */
export async function insertClientMetrics(q: Queryable, metrics: readonly ClientMetric[]): Promise<number> {
  if (metrics.length === 0) return 0;
  const params: unknown[] = [];
  const rows = metrics.map((m) => {
    params.push(m.name, m.value, new Date(m.timestamp).toISOString(), m.metadata === undefined ? null : JSON.stringify(m.metadata));
    const i = params.length;
    return `($${i - 3}, $${i - 2}, $${i - 1}::timestamptz, $${i}::jsonb)`;
  });
  const res = await q.query(`INSERT INTO client_metrics (name, value, client_ts, metadata) VALUES ${rows.join(', ')}`, params);
  return res.rowCount;
}

/** Deletes at most `limit` metrics received before `cutoff`, oldest first (idx_client_metrics_received). */
export async function deleteClientMetricsBefore(q: Queryable, cutoff: Date, limit: number): Promise<number> {
  const res = await q.query(
    `DELETE FROM client_metrics WHERE id IN (
       SELECT id FROM client_metrics WHERE received_at < $1 ORDER BY received_at LIMIT $2)`,
    [cutoff.toISOString(), limit],
  );
  return res.rowCount;
}

type SummaryRow = { day: string; name: string; count: number; avg: number; min: number; max: number; p95: number };

/**
 * Count, avg, min, max and p95 per metric name and UTC day of receipt, from `from` (inclusive) to `to`
 * (exclusive). p95 is `percentile_disc`: the value at rank ceil(0.95·n), as docs/widget.md's performance monitor defines it.
 */
export async function summarizeMetrics(q: Queryable, range: { from: Date; to: Date }): Promise<MetricSummaryRow[]> {
  const { rows } = await q.query<SummaryRow>(
    `SELECT to_char((received_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day,
            name,
            count(*)::int AS count,
            avg(value)::float8 AS avg,
            min(value)::float8 AS min,
            max(value)::float8 AS max,
            percentile_disc(0.95) WITHIN GROUP (ORDER BY value)::float8 AS p95
       FROM client_metrics
      WHERE received_at >= $1 AND received_at < $2
      GROUP BY 1, 2
      ORDER BY 1, 2`,
    [range.from.toISOString(), range.to.toISOString()],
  );
  return rows.map((r) => ({ ...r, count: Number(r.count), avg: Number(r.avg), min: Number(r.min), max: Number(r.max), p95: Number(r.p95) }));
}
