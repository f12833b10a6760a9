import { useMutation, useQueryClient } from '@tanstack/react-query';
import { legalHoldResponseSchema, privacyEraseResponseSchema, privacyExportSchema } from '../../../../../contracts/privacy.ts';
import { apiRequest } from '../../../../staff/http.ts';
import { privacyKeys } from './access-record.ts';

export type { ErasedCounts, PrivacyExport } from '../../../../../contracts/privacy.ts';

/** Each action is itself recorded: the access record on the page shows it next. */
function useRecordedMutation<V, R>(mutationFn: (variables: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => void queryClient.invalidateQueries({ queryKey: privacyKeys.record }) });
}

/** POST /api/agent/privacy/export: everything kept about one address, as the document to hand over. */
export function useExportCustomerData() {
  return useRecordedMutation((v: { email: string; includeNotes: boolean }) =>
    apiRequest('/api/agent/privacy/export', privacyExportSchema, { method: 'POST', body: v }),
  );
}

/** POST /api/agent/privacy/erase: 409 `legal_hold` (nothing erased) when one of the tickets is held. */
export function useEraseCustomerData() {
  return useRecordedMutation((v: { email: string }) => apiRequest('/api/agent/privacy/erase', privacyEraseResponseSchema, { method: 'POST', body: v }));
}

/** PUT /api/agent/privacy/legal-hold: a held ticket is kept past its period and refuses erasure. */
export function useSetLegalHold() {
  return useRecordedMutation((v: { ticketId: string; hold: boolean }) =>
    apiRequest('/api/agent/privacy/legal-hold', legalHoldResponseSchema, { method: 'PUT', body: v }),
  );
}
