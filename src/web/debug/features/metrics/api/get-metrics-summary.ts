import { useQuery } from '@tanstack/react-query';
import { metricsSummaryResponseSchema } from '../../../../../contracts/debug.ts';
import { apiRequest } from '../../../../staff/http.ts';

export function getMetricsSummary(days: number, signal?: AbortSignal) {
  return apiRequest(`/api/debug/metrics-summary?days=${days}`, metricsSummaryResponseSchema, { signal });
}

export function useMetricsSummary(days: number) {
  return useQuery({
    queryKey: ['debug', 'metrics-summary', days],
    queryFn: ({ signal }) => getMetricsSummary(days, signal),
    refetchInterval: 10_000,
  });
}
