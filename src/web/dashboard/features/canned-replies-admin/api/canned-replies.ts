import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  cannedReplyListSchema,
  cannedReplyResponseSchema,
  type CreateCannedReplyBody,
  type UpdateCannedReplyBody,
} from '../../../../../contracts/agents.ts';
import { apiRequest } from '../../../../staff/http.ts';

/** The admin page's cache: every language's replies, read once (GET /api/agent/canned-replies). */
export const cannedAdminKeys = { all: ['canned-replies-admin'] as const };

export function getAllCannedReplies(signal?: AbortSignal) {
  return apiRequest('/api/agent/canned-replies', cannedReplyListSchema, { signal });
}

export function useAllCannedReplies() {
  return useQuery({ queryKey: cannedAdminKeys.all, queryFn: ({ signal }) => getAllCannedReplies(signal) });
}

/** After any write the list is read again (the reply box's per-language lists too: same server data). */
function useWrite<V>(fn: (v: V) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: cannedAdminKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['agent-tickets', 'canned-replies'] });
    },
  });
}

/** POST /api/agent/canned-replies (admins). */
export const useCreateCannedReply = () =>
  useWrite((body: CreateCannedReplyBody) => apiRequest('/api/agent/canned-replies', cannedReplyResponseSchema, { method: 'POST', body }));

/** PATCH /api/agent/canned-replies/:id (admins). */
export const useUpdateCannedReply = () =>
  useWrite(({ id, body }: { id: string; body: UpdateCannedReplyBody }) =>
    apiRequest(`/api/agent/canned-replies/${encodeURIComponent(id)}`, cannedReplyResponseSchema, { method: 'PATCH', body }),
  );

/** DELETE /api/agent/canned-replies/:id (admins): 204. */
export const useDeleteCannedReply = () =>
  useWrite((id: string) => apiRequest(`/api/agent/canned-replies/${encodeURIComponent(id)}`, null, { method: 'DELETE' }));
