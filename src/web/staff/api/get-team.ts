import { useQuery } from '@tanstack/react-query';
import { teamListSchema } from '../../../contracts/team.ts';
import { apiRequest } from '../http.ts';

export const teamQueryKey = ['team'] as const;

/** GET /api/agent/agents: the active agents with their availability (team list, assignment picker, names). */
export function getTeam() {
  return apiRequest('/api/agent/agents', teamListSchema);
}

/** Kept fresh by the `team` channel's availability frames (the alerts feature invalidates it). */
export function useTeam() {
  return useQuery({ queryKey: teamQueryKey, queryFn: getTeam, staleTime: 60_000 });
}
