import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import type { Lang } from '../../../../../contracts/common.ts';
import { apiRequest } from '../../../lib/http.ts';
import { faqEntrySchema, faqKeys } from './get-faq-entries.ts';

export type FaqEntryInput = { key: string; lang: Lang; title: string; answer: string };
const responseSchema = z.object({ entry: faqEntrySchema });

export function updateFaqEntry({ key, lang, title, answer }: FaqEntryInput) {
  return apiRequest(`/api/agent/faq/${encodeURIComponent(key)}/${lang}`, responseSchema, {
    method: 'PUT',
    body: { title, answer },
  });
}

export function useUpdateFaqEntry() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateFaqEntry,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: faqKeys.all }),
  });
}
