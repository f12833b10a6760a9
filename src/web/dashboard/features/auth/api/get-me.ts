import { useQuery } from '@tanstack/react-query';
import { agentResponseSchema, type Agent } from '../../../../../contracts/agents.ts';
import { ApiError, apiRequest } from '../../../lib/http.ts';

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
