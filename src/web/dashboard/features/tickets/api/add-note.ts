import { useMutation, useQueryClient } from '@tanstack/react-query';
import { noteResponseSchema, type NoteBody } from '../../../../../contracts/agents.ts';
import { apiRequest } from '../../../../staff/http.ts';
import type { TicketDetail } from './get-ticket.ts';
import { ticketKeys } from './keys.ts';

/** POST /api/agent/tickets/:id/notes: an internal note, for agents only. */
export function addNote(id: string, body: NoteBody) {
  return apiRequest(`/api/agent/tickets/${encodeURIComponent(id)}/notes`, noteResponseSchema, { method: 'POST', body });
}

export function useAddNote(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NoteBody) => addNote(id, body),
    onSuccess: ({ note }) => {
      queryClient.setQueryData<TicketDetail>(ticketKeys.detail(id), (old) =>
        old && !old.timeline.some((e) => e.id === note.id) ? { ...old, timeline: [...old.timeline, note] } : old,
      );
    },
  });
}
