import { QueryClient } from '@tanstack/react-query';
import { backoffDelay, isRetryableError } from './api-client.ts';

/**
 * The seed's React Query defaults (§3): 30 s fresh, 5 min kept, no refetch on focus, and up to 3 retries
 * with exponential backoff, but only for network errors and 5xx: a 4xx would answer the same.
 * Query functions should call `apiRequest(..., { retry: false })`, so the two layers do not multiply.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        gcTime: 5 * 60_000,
        refetchOnWindowFocus: false,
        retry: (failureCount, error) => failureCount < 3 && isRetryableError(error),
        retryDelay: (attempt) => backoffDelay(attempt, 1000, 30_000),
      },
      mutations: { retry: false },
    },
  });
}
