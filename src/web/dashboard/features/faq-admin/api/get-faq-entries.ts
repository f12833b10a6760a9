import { useQuery } from '@tanstack/react-query';
import { adminFaqListResponseSchema } from '../../../../../contracts/faq.ts';
import { apiRequest } from '../../../../staff/http.ts';

export type { AdminFaqEntry } from '../../../../../contracts/faq.ts';

export const faqKeys = { all: ['admin-faq'] as const };

/** Every FAQ entry in every language, with its alternate phrasings (admins only). */
export function getFaqEntries(signal?: AbortSignal) {
  return apiRequest('/api/agent/faq', adminFaqListResponseSchema, { signal });
}

export function useFaqEntries() {
  return useQuery({ queryKey: faqKeys.all, queryFn: ({ signal }) => getFaqEntries(signal) });
}
