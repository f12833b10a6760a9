import type { Attachment } from '../../../../../contracts/attachments.ts';
import { apiRequest } from '../../../../lib/api-client.ts';
import type { QueuedFile } from '../api/offline-queue.ts';

/**
 * Uploads a queued message's files, in order, each under its own clientId: a retry (a lost answer, or
 * the outbox sending again once the network is back) gets the stored attachment, never a second copy.
 * Network errors and 5xx are retried here; a refusal (4xx: type, size) rejects with the server's words.
 */
export async function uploadFiles(ticketId: string, token: string, files: readonly QueuedFile[]): Promise<string[]> {
  const ids: string[] = [];
  for (const file of files) {
    const form = new FormData();
    form.append('clientId', file.clientId);
    form.append('file', file.blob, file.name);
    const { attachment } = await apiRequest<{ attachment: Attachment }>(`/api/tickets/${encodeURIComponent(ticketId)}/attachments`, {
      method: 'POST',
      token,
      body: form,
      retry: { maxRetries: 2 },
    });
    ids.push(attachment.id);
  }
  return ids;
}
