import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { analyticsResponseSchema, type AnalyticsQuery } from '../../../../../contracts/agents.ts';
import { apiRequest, toQueryString } from '../../../../staff/http.ts';

export const analyticsKeys = {
  all: ['agent-analytics'] as const,
  range: (query: AnalyticsQuery) => [...analyticsKeys.all, query] as const,
};

export function getAnalytics(query: AnalyticsQuery, signal?: AbortSignal) {
  return apiRequest(`/api/agent/analytics${toQueryString(query)}`, analyticsResponseSchema, { signal });
}

export function useAnalytics(query: AnalyticsQuery) {
  return useQuery({
    queryKey: analyticsKeys.range(query),
    queryFn: ({ signal }) => getAnalytics(query, signal),
    placeholderData: keepPreviousData,
  });
}
