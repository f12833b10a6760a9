import { useQuery } from '@tanstack/react-query';
import { checklistResponseSchema } from '../../../../../contracts/checklist.ts';
import { apiRequest } from '../../../../staff/http.ts';
import { analyticsKeys } from './get-analytics.ts';

/** The seed's daily checklist in one call: errors and first responses of the last 24 h, tickets open now. */
export function getChecklist(signal?: AbortSignal) {
  return apiRequest('/api/agent/checklist', checklistResponseSchema, { signal });
}

export function useChecklist() {
  return useQuery({ queryKey: [...analyticsKeys.all, 'checklist'], queryFn: ({ signal }) => getChecklist(signal), refetchInterval: 60_000 });
}
