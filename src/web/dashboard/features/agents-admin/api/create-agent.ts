import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createAgentResponseSchema, type AgentRole } from '../../../../../contracts/agents.ts';
import { apiRequest } from '../../../../staff/http.ts';
import { agentAccountKeys } from './keys.ts';

export type InviteAgentInput = { email: string; name: string; role: AgentRole };

/** Invites an agent; the server generates the password and returns it this once. */
export function createAgent(input: InviteAgentInput) {
  return apiRequest('/api/admin/agents', createAgentResponseSchema, { method: 'POST', body: input });
}

export function useCreateAgent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createAgent,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: agentAccountKeys.all }),
  });
}
