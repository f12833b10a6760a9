import { attachmentResponseSchema, ATTACHMENT_CLIENT_ID_FIELD, ATTACHMENT_FILE_FIELD } from '../../../../../contracts/attachments.ts';
import { apiRequest } from '../../../../staff/http.ts';

/** Uploads one file for the agents' next reply; `clientId` makes a resend after a lost answer store it once. */
export function uploadAttachment(ticketId: string, file: File, clientId: string) {
  const form = new FormData();
  form.append(ATTACHMENT_CLIENT_ID_FIELD, clientId);
  form.append(ATTACHMENT_FILE_FIELD, file, file.name);
  return apiRequest(`/api/agent/tickets/${encodeURIComponent(ticketId)}/attachments`, attachmentResponseSchema, {
    method: 'POST',
    body: form,
  });
}

/** Where the browser fetches a file (the agent's session cookie opens it); `thumb` for an image's thumbnail. */
export function attachmentUrl(id: string, thumb = false): string {
  return `/api/attachments/${encodeURIComponent(id)}${thumb ? '?thumb=1' : ''}`;
}
