import { useMutation, useQueryClient } from '@tanstack/react-query';
import { adminLocationResponseSchema, type LocationBody } from '../../../../../contracts/locations.ts';
import { apiRequest } from '../../../../staff/http.ts';
import { locationsKeys } from './get-locations.ts';

export function saveLocation({ id, body }: { id: string; body: LocationBody }) {
  return apiRequest(`/api/agent/locations/${encodeURIComponent(id)}`, adminLocationResponseSchema, { method: 'PUT', body });
}

export function deleteLocation(id: string) {
  return apiRequest(`/api/agent/locations/${encodeURIComponent(id)}`, null, { method: 'DELETE' });
}

export function useSaveLocation() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: saveLocation, onSuccess: () => void queryClient.invalidateQueries({ queryKey: locationsKeys.all }) });
}

export function useDeleteLocation() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: deleteLocation, onSuccess: () => void queryClient.invalidateQueries({ queryKey: locationsKeys.all }) });
}
