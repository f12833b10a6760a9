import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { metricsSummaryResponseSchema } from '../../../../../contracts/debug.ts';
import { apiRequest } from '../../../../staff/http.ts';
import { analyticsKeys } from './get-analytics.ts';

/** What the browsers measured (count, avg, min, max, p95 per metric and UTC day), over the last `days` days. */
export function getClientMetrics(days: number, signal?: AbortSignal) {
  return apiRequest(`/api/agent/metrics-summary?days=${days}`, metricsSummaryResponseSchema, { signal });
}

export function useClientMetrics(days: number) {
  return useQuery({
    queryKey: [...analyticsKeys.all, 'client-metrics', days],
    queryFn: ({ signal }) => getClientMetrics(days, signal),
    placeholderData: keepPreviousData,
  });
}
