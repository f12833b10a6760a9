import { useQuery } from '@tanstack/react-query';
import { adminLocationsResponseSchema } from '../../../../../contracts/locations.ts';
import { apiRequest } from '../../../../staff/http.ts';

export type { AdminLocation } from '../../../../../contracts/locations.ts';

export const locationsKeys = { all: ['admin-locations'] as const, supportHours: ['admin-support-hours'] as const };

/** Every restaurant whole: postcodes, weekly hours, exceptions (admins only). */
export function getLocations(signal?: AbortSignal) {
  return apiRequest('/api/agent/locations', adminLocationsResponseSchema, { signal });
}

export function useLocations() {
  return useQuery({ queryKey: locationsKeys.all, queryFn: ({ signal }) => getLocations(signal) });
}
