import { useQuery } from '@tanstack/react-query';
import { devMailsResponseSchema } from '../../../../../contracts/email.ts';
import { apiRequest } from '../../../../staff/http.ts';

const SHOWN = 10;

/** The mails the built-in dev mailbox "sent" (no SMTP_URL), newest first. */
export function getDevMails(signal?: AbortSignal) {
  return apiRequest(`/api/debug/emails?limit=${SHOWN}`, devMailsResponseSchema, { signal });
}

export function useDevMails() {
  return useQuery({ queryKey: ['debug', 'dev-mails'], queryFn: ({ signal }) => getDevMails(signal), refetchInterval: 5000 });
}
