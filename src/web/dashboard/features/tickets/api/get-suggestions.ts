import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '../../../lib/http.ts';
import { ticketKeys } from './keys.ts';

export const suggestionSchema = z.looseObject({
  title: z.string().optional(),
  text: z.string(),
});
export const suggestionsResponseSchema = z.object({ suggestions: z.array(suggestionSchema) });
export type Suggestion = z.infer<typeof suggestionSchema>;

export function getSuggestions(id: string, signal?: AbortSignal) {
  return apiRequest(`/api/agent/tickets/${encodeURIComponent(id)}/suggestions`, suggestionsResponseSchema, { signal });
}

/** Suggested replies for the conversation (chatbot module); a failure only hides the panel. */
export function useSuggestions(id: string) {
  return useQuery({
    queryKey: ticketKeys.suggestions(id),
    queryFn: ({ signal }) => getSuggestions(id, signal),
    retry: false,
  });
}
