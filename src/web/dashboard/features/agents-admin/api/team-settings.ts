import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { teamSettingsSchema, type UpdateTeamSettingsBody } from '../../../../../contracts/team.ts';
import { apiRequest } from '../../../../staff/http.ts';

export const teamSettingsKeys = { all: ['team-settings'] as const };

/** GET /api/agent/team/settings: how new tickets are assigned (round-robin or not). */
export function getTeamSettings(signal?: AbortSignal) {
  return apiRequest('/api/agent/team/settings', teamSettingsSchema, { signal });
}

export function useTeamSettings() {
  return useQuery({ queryKey: teamSettingsKeys.all, queryFn: ({ signal }) => getTeamSettings(signal) });
}

/** PUT /api/agent/team/settings (admins): kept across restarts, whatever AUTO_ASSIGN says. */
export function updateTeamSettings(body: UpdateTeamSettingsBody) {
  return apiRequest('/api/agent/team/settings', teamSettingsSchema, { method: 'PUT', body });
}

export function useUpdateTeamSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateTeamSettings,
    onSuccess: (settings) => queryClient.setQueryData(teamSettingsKeys.all, settings),
  });
}
