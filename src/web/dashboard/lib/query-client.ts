import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './http.ts';

const MAX_RETRIES = 3;

/** Only server errors and network failures are worth retrying; a 4xx will answer the same again. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= MAX_RETRIES) return false;
  if (error instanceof ApiError) return error.status === 0 || error.status >= 500;
  return false;
}

/** Seed §3: data is fresh for 30 s, kept 5 min, retried with exponential backoff capped at 30 s. */
export function createDashboardQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        gcTime: 5 * 60_000,
        refetchOnWindowFocus: false,
        retry: shouldRetry,
        retryDelay: (attempt) => Math.min(1000 * 2 ** attempt, 30_000),
      },
      mutations: { retry: false },
    },
  });
}
