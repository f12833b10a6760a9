import { useQuery, type QueryClient } from '@tanstack/react-query';
import { agentResponseSchema, type Agent } from '../../../contracts/agents.ts';
import { ApiError, apiRequest } from '../http.ts';

export const meQueryKey = ['auth', 'me'] as const;

/** The logged-in agent, or null when there is no session (401). */
export async function getMe(): Promise<Agent | null> {
  try {
    const { agent } = await apiRequest('/api/auth/me', agentResponseSchema);
    return agent;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export function useMe() {
  return useQuery({ queryKey: meQueryKey, queryFn: getMe, staleTime: Infinity });
}

/**
 * Switches the cache to another session (login, logout, expiry): the agent is set, and everything cached
 * under the previous session is dropped. The `me` query itself is updated, not removed, so the app's
 * observer of it sees the change.
 */
export function switchSession(queryClient: QueryClient, agent: Agent | null): void {
  queryClient.setQueryData(meQueryKey, agent);
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== meQueryKey[0] || q.queryKey[1] !== meQueryKey[1] });
}
