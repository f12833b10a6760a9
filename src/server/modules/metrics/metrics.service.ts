import { METRICS_LIMITS, type MetricSummaryRow, type MetricsBody } from '../../../contracts/metrics.ts';
import type { Db } from '../../db/index.ts';
import { AppError } from '../../http/app-error.ts';
import { insertClientMetrics, summarizeMetrics } from './metrics.repo.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Stores what the browser sent (one metric or a batch, already validated); returns how many. */
export async function recordClientMetrics(options: { db: Db; body: MetricsBody }): Promise<number> {
  const metrics = 'metrics' in options.body ? options.body.metrics : [options.body];
  return insertClientMetrics(options.db, metrics);
}

/**
 * The client metrics summary for the debug page and the dashboard: per name and UTC day, count, avg,
 * min, max and p95, computed in SQL. `to` is exclusive; the range may span at most a year.
 */
export async function summarizeClientMetrics(db: Db, range: { from: Date; to: Date }): Promise<MetricSummaryRow[]> {
  if (!(range.from.getTime() < range.to.getTime())) throw new AppError('invalid_request');
  if (range.to.getTime() - range.from.getTime() > METRICS_LIMITS.summaryMaxDays * DAY_MS)
    throw new AppError('invalid_request');
  return summarizeMetrics(db, range);
}
