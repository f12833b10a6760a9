import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { langSchema } from '../../../../../contracts/common.ts';
import { apiRequest } from '../../../lib/http.ts';

export const faqEntrySchema = z.looseObject({
  key: z.string(),
  lang: langSchema,
  title: z.string(),
  answer: z.string(),
});
export type FaqEntry = z.infer<typeof faqEntrySchema>;
export const faqEntriesSchema = z.object({ entries: z.array(faqEntrySchema) });

export const faqKeys = { all: ['admin-faq'] as const };

/** Every FAQ entry in every language (the chatbot module's admin route). */
export function getFaqEntries(signal?: AbortSignal) {
  return apiRequest('/api/agent/faq', faqEntriesSchema, { signal });
}

export function useFaqEntries() {
  return useQuery({ queryKey: faqKeys.all, queryFn: ({ signal }) => getFaqEntries(signal) });
}
