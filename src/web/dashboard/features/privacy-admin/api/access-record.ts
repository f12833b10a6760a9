import { useQuery } from '@tanstack/react-query';
import { accessRecordResponseSchema, privacySettingsSchema } from '../../../../../contracts/privacy.ts';
import { apiRequest } from '../../../../staff/http.ts';

export type { AccessRecordEntry } from '../../../../../contracts/privacy.ts';

export const privacyKeys = { record: ['privacy-access-record'] as const, settings: ['privacy-settings'] as const };

/** Who viewed, exported or erased whose data (admins only): for one address, or everyone's, newest first. */
export function useAccessRecord(email: string) {
  const query = new URLSearchParams({ limit: '100', ...(email ? { email } : {}) });
  return useQuery({
    queryKey: [...privacyKeys.record, email],
    queryFn: ({ signal }) => apiRequest(`/api/agent/privacy/access-record?${query}`, accessRecordResponseSchema, { signal }),
  });
}

/** The retention periods in effect (environment variables, docs/privacy.md). */
export function usePrivacySettings() {
  return useQuery({
    queryKey: privacyKeys.settings,
    queryFn: ({ signal }) => apiRequest('/api/agent/privacy/settings', privacySettingsSchema, { signal }),
  });
}
