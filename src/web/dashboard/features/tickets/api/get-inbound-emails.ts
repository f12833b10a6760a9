import { useQuery } from '@tanstack/react-query';
import { inboundEmailsResponseSchema, type InboundEmailInfo } from '../../../../../contracts/inbound-email.ts';
import { apiRequest } from '../../../../staff/http.ts';
import { ticketKeys } from './keys.ts';

export type { InboundEmailInfo } from '../../../../../contracts/inbound-email.ts';

export function getInboundEmails(id: string, signal?: AbortSignal) {
  return apiRequest(`/api/agent/tickets/${encodeURIComponent(id)}/emails`, inboundEmailsResponseSchema, { signal });
}

/**
 * Which customer messages came by e-mail, from whom, with their SPF/DKIM/DMARC verdicts, by message id.
 * Under the tickets' root key, so a live message refreshes it with the conversation; a failure only
 * hides the e-mail lines.
 */
export function useInboundEmails(id: string) {
  return useQuery({
    queryKey: [...ticketKeys.all, 'emails', id],
    queryFn: ({ signal }) => getInboundEmails(id, signal),
    select: (data) => new Map<string, InboundEmailInfo>(data.emails.map((e) => [e.message_id, e])),
    retry: false,
  });
}
