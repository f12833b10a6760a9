import { useQuery } from '@tanstack/react-query';
import { suggestionsResponseSchema } from '../../../../../contracts/bot.ts';
import { apiRequest } from '../../../../staff/http.ts';
import { ticketKeys } from './keys.ts';

export type { Suggestion } from '../../../../../contracts/bot.ts';

export function getSuggestions(id: string, signal?: AbortSignal) {
  return apiRequest(`/api/agent/tickets/${encodeURIComponent(id)}/suggestions`, suggestionsResponseSchema, { signal });
}

/** Suggested replies for the conversation (FAQ answers and canned replies); a failure only hides the panel. */
export function useSuggestions(id: string) {
  return useQuery({
    queryKey: ticketKeys.suggestions(id),
    queryFn: ({ signal }) => getSuggestions(id, signal),
    retry: false,
  });
}
