import { useMutation, useQueryClient } from '@tanstack/react-query';
import { agentAccountResponseSchema, type UpdateAgentBody } from '../../../../../contracts/agents.ts';
import { apiRequest } from '../../../../staff/http.ts';
import { agentAccountKeys } from './keys.ts';

export function updateAgent(id: string, body: UpdateAgentBody) {
  return apiRequest(`/api/admin/agents/${encodeURIComponent(id)}`, agentAccountResponseSchema, { method: 'PATCH', body });
}

export function useUpdateAgent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateAgentBody }) => updateAgent(id, body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: agentAccountKeys.all }),
  });
}
