import { useMutation, useQueryClient } from '@tanstack/react-query';
import { agentResponseSchema, type LoginBody } from '../../../../../contracts/agents.ts';
import { apiRequest } from '../../../../staff/http.ts';
import { switchSession } from '../../../../staff/api/get-me.ts';

export async function login(body: LoginBody) {
  const { agent } = await apiRequest('/api/auth/login', agentResponseSchema, { method: 'POST', body });
  return agent;
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    // Another agent may have used this browser: nothing cached under the old session is kept.
    onSuccess: (agent) => switchSession(queryClient, agent),
  });
}
