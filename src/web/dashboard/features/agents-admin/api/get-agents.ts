import { useQuery } from '@tanstack/react-query';
import { agentAccountListSchema } from '../../../../../contracts/agents.ts';
import { apiRequest } from '../../../../staff/http.ts';
import { agentAccountKeys } from './keys.ts';

export function getAgents(signal?: AbortSignal) {
  return apiRequest('/api/admin/agents', agentAccountListSchema, { signal });
}

export function useAgents() {
  return useQuery({ queryKey: agentAccountKeys.all, queryFn: ({ signal }) => getAgents(signal) });
}
