import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AvailabilityStatus } from '../../../../../contracts/realtime-constants.ts';
import { availabilityResponseSchema } from '../../../../../contracts/team.ts';
import { apiRequest } from '../../../../staff/http.ts';
import { teamQueryKey } from '../../../../staff/api/get-team.ts';

export const availabilityQueryKey = ['availability', 'me'] as const;

/** GET /api/agent/availability: the agent's choice and what the others see. */
export function useMyAvailability() {
  return useQuery({
    queryKey: availabilityQueryKey,
    queryFn: () => apiRequest('/api/agent/availability', availabilityResponseSchema),
  });
}

/** PUT /api/agent/availability. */
export function useSetAvailability() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (status: AvailabilityStatus) => apiRequest('/api/agent/availability', availabilityResponseSchema, { method: 'PUT', body: { status } }),
    onSuccess: (data) => {
      queryClient.setQueryData(availabilityQueryKey, data);
      void queryClient.invalidateQueries({ queryKey: teamQueryKey });
    },
  });
}
