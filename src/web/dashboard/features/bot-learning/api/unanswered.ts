import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  botModelStatusSchema,
  dismissResponseSchema,
  teachResponseSchema,
  unansweredListResponseSchema,
  type TeachBody,
} from '../../../../../contracts/bot-learning.ts';
import { apiRequest } from '../../../../staff/http.ts';
import { faqKeys } from '../../faq-admin/api/get-faq-entries.ts';

export type { UnansweredGroup } from '../../../../../contracts/bot-learning.ts';

export const learningKeys = { unanswered: ['bot-unanswered'] as const, model: ['bot-model'] as const };

/** "Top unanswered this week": the questions the bot could not answer, grouped (admins only). */
export function useUnanswered(days = 7) {
  return useQuery({
    queryKey: [...learningKeys.unanswered, days],
    queryFn: ({ signal }) => apiRequest(`/api/agent/bot/unanswered?days=${days}`, unansweredListResponseSchema, { signal }),
  });
}

/** The model the bot answers with; polled while it retrains. */
export function useBotModelStatus(poll: boolean) {
  return useQuery({
    queryKey: learningKeys.model,
    queryFn: ({ signal }) => apiRequest('/api/agent/bot/model', botModelStatusSchema, { signal }),
    refetchInterval: poll ? 1000 : false,
  });
}

export function useTeach() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TeachBody) => apiRequest('/api/agent/bot/unanswered/teach', teachResponseSchema, { method: 'POST', body }),
    onSuccess: (res) => {
      queryClient.setQueryData(learningKeys.model, res.model);
      void queryClient.invalidateQueries({ queryKey: learningKeys.unanswered });
      void queryClient.invalidateQueries({ queryKey: faqKeys.all });
    },
  });
}

export function useDismiss() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[]) => apiRequest('/api/agent/bot/unanswered/dismiss', dismissResponseSchema, { method: 'POST', body: { ids } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: learningKeys.unanswered }),
  });
}
