import type { MetricsSummaryResponse } from '../../../contracts/debug.ts';
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

/** The summary of the last `days` UTC days, today included: what the debug page and the dashboard show. */
export async function summarizeRecentClientMetrics(options: { db: Db; days: number; now?: Date }): Promise<MetricsSummaryResponse> {
  const startOfToday = Math.floor((options.now ?? new Date()).getTime() / DAY_MS) * DAY_MS;
  const from = new Date(startOfToday - (options.days - 1) * DAY_MS);
  const to = new Date(startOfToday + DAY_MS);
  const metrics = await summarizeClientMetrics(options.db, { from, to });
  return { from: from.toISOString(), to: to.toISOString(), metrics };
}
