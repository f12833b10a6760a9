import { ClientMetricsPanel } from '../../../../staff/client-metrics/client-metrics-panel.tsx';
import { useMetricsSummary } from '../api/get-metrics-summary.ts';

/** Seed §4's performance summary (count, avg, min, max, p95 per metric and day): the dashboard's panel, on the debug API. */
export function MetricsSummary() {
  return <ClientMetricsPanel useSummary={useMetricsSummary} defaultDays={1} headingId="metrics-heading" />;
}
