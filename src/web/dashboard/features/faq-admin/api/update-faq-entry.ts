import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Lang } from '../../../../../contracts/common.ts';
import { adminFaqEntryResponseSchema, type UpdateFaqEntryBody } from '../../../../../contracts/faq.ts';
import { apiRequest } from '../../../../staff/http.ts';
import { faqKeys } from './get-faq-entries.ts';

export type FaqEntryInput = { key: string; lang: Lang; body: UpdateFaqEntryBody };

export function updateFaqEntry({ key, lang, body }: FaqEntryInput) {
  return apiRequest(`/api/agent/faq/${encodeURIComponent(key)}/${lang}`, adminFaqEntryResponseSchema, { method: 'PUT', body });
}

export function useUpdateFaqEntry() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateFaqEntry,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: faqKeys.all }),
  });
}
