import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../../staff/http.ts';
import { switchSession } from '../../../../staff/api/get-me.ts';

export async function logout(): Promise<void> {
  await apiRequest('/api/auth/logout', null, { method: 'POST' });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    onSettled: () => switchSession(queryClient, null),
  });
}
