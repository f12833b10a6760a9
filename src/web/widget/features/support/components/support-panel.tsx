import { useMutation } from '@tanstack/react-query';
import { useRef } from 'preact/hooks';
import { useTranslation } from '../../../../lib/i18n.ts';
import { perfMonitor } from '../../../../lib/perf-monitor.ts';
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { createTicket, type CreateTicketInput } from '../api/create-ticket.ts';
import { ContactForm, type ContactInput } from './contact-form.tsx';
import { SupportHoursNote } from './support-hours-note.tsx';

/**
 * The `support` mode: the contact form opens a ticket in the customer's current language. One clientId
 * per ticket being written: a retry after a lost answer gets the same ticket, not a second one.
 */
export function SupportPanel({
  initialMessage,
  onOpened,
  conversationToken,
}: {
  initialMessage?: string;
  onOpened: (session: { id: string; token: string }) => void;
  /** Opened from the chat thread: the ticket begins with the thread's exchange, and only the e-mail is asked. */
  conversationToken?: string | null;
}) {
  const { lang } = useTranslation();
  const clientId = useRef(crypto.randomUUID());
  const mutation = useMutation({
    mutationFn: async (input: CreateTicketInput) => {
      const end = perfMonitor.startMeasure('ticket_submit');
      const result = await createTicket(input);
      end();
      return result;
    },
    onSuccess: ({ ticket, token }) => {
      clientId.current = crypto.randomUUID();
      onOpened({ id: ticket.id, token });
    },
  });
  const submit = (input: ContactInput) => mutation.mutate({ ...input, lang, clientId: clientId.current, conversationToken: conversationToken ?? undefined });
  return (
    <div class="tf-support">
      <ContactForm onSubmit={submit} busy={mutation.isPending} initial={{ message: initialMessage }} emailOnly={conversationToken !== undefined} notice={<SupportHoursNote />} />
      <ErrorNotice error={mutation.error} />
    </div>
  );
}
