import type { MetricsSummaryResponse } from '../../../contracts/debug.ts';
import { METRICS_LIMITS, type MetricSummaryRow, type MetricsBody } from '../../../contracts/metrics.ts';
import type { Db } from '../../db/index.ts';
import { AddressQuota } from '../../http/address-quota.ts';
import { AppError } from '../../http/app-error.ts';
import { deleteClientMetricsBefore, insertClientMetrics, summarizeMetrics } from './metrics.repo.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Rows one client address may add to client_metrics per hour (per instance): a page load sends a few
 * dozen, so 500 leaves room for a busy visitor and bounds a flood to about 1 MB an hour (2 KB of
 * metadata at most per row) instead of 8.8 MB a minute.
 */
export const CLIENT_METRICS_PER_ADDRESS_PER_HOUR = 500;
const HOUR_MS = 60 * 60 * 1000;

/** The per-address quota of one app (one per process). */
export function clientMetricsQuota(): AddressQuota {
  return new AddressQuota(CLIENT_METRICS_PER_ADDRESS_PER_HOUR, HOUR_MS);
}

/**
 * Stores what the browser sent (one metric or a batch, already validated), as far as the address's
 * hourly quota allows; returns how many were stored (0 past the quota: the answer is still 202, a
 * beacon does not read it, and refusing would only make the page send again).
 */
export async function recordClientMetrics(options: { db: Db; body: MetricsBody; address: string; quota: AddressQuota }): Promise<number> {
  const metrics = 'metrics' in options.body ? options.body.metrics : [options.body];
  const allowed = options.quota.take(options.address, metrics.length);
  return insertClientMetrics(options.db, metrics.slice(0, allowed));
}

/** Deletes client metrics received before `cutoff`, `batchSize` rows a statement; returns how many. */
export async function purgeClientMetrics(db: Db, cutoff: Date, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteClientMetricsBefore(db, cutoff, batchSize);
    total += deleted;
    if (deleted < batchSize) return total;
  }
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
