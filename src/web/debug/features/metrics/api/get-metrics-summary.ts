import { useQuery } from '@tanstack/react-query';
import { metricsSummaryResponseSchema } from '../../../../../contracts/debug.ts';
import { apiRequest } from '../../../../dashboard/lib/http.ts';

export function getMetricsSummary(signal?: AbortSignal) {
  return apiRequest('/api/debug/metrics-summary', metricsSummaryResponseSchema, { signal });
}

export function useMetricsSummary() {
  return useQuery({
    queryKey: ['debug', 'metrics-summary'],
    queryFn: ({ signal }) => getMetricsSummary(signal),
    refetchInterval: 10_000,
  });
}
