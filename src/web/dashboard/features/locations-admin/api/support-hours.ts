import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { supportHoursResponseSchema, type Schedule } from '../../../../../contracts/locations.ts';
import { apiRequest } from '../../../../staff/http.ts';
import { locationsKeys } from './get-locations.ts';

export function useSupportHours() {
  return useQuery({
    queryKey: locationsKeys.supportHours,
    queryFn: ({ signal }) => apiRequest('/api/agent/support-hours', supportHoursResponseSchema, { signal }),
  });
}

/** Saves the support team's hours, or clears them (null: always staffed). */
export function useSaveSupportHours() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schedule | null) =>
      body
        ? apiRequest('/api/agent/support-hours', supportHoursResponseSchema, { method: 'PUT', body })
        : apiRequest('/api/agent/support-hours', null, { method: 'DELETE' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: locationsKeys.supportHours }),
  });
}
