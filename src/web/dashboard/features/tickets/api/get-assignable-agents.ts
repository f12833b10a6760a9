import { useQuery } from '@tanstack/react-query';
import { teamListSchema } from '../../../../../contracts/team.ts';
import { apiRequest } from '../../../../staff/http.ts';
import { ticketKeys } from './keys.ts';

/** GET /api/agent/agents: the active agents (with their availability), for the assignment picker. */
export function getAssignableAgents(signal?: AbortSignal) {
  return apiRequest('/api/agent/agents', teamListSchema, { signal });
}

export function useAssignableAgents() {
  return useQuery({ queryKey: [...ticketKeys.all, 'assignable-agents'], queryFn: ({ signal }) => getAssignableAgents(signal), staleTime: 30_000 });
}
