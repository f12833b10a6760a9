import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../../../lib/api-client.ts';
import { useTranslation } from '../../../../lib/i18n.ts';
import { ErrorNotice } from '../../../components/error-notice.tsx';
import type { RealtimeClient } from '../../../../lib/realtime-client.ts';
import { rateTicket } from '../api/ticket-api.ts';
import { useConversation, type ConversationEvents } from '../api/use-conversation.ts';
import { Composer } from './composer.tsx';
import { Conversation } from './conversation.tsx';
import { RatingForm } from './rating-form.tsx';

const RATED_PREFIX = 'tf-rated-';
function wasRated(id: string) {
  try {
    return globalThis.localStorage?.getItem(RATED_PREFIX + id) === '1';
  } catch {
    return false;
  }
}
function markRated(id: string) {
  try {
    globalThis.localStorage?.setItem(RATED_PREFIX + id, '1');
  } catch {
    // storage blocked: the form may be offered again on the next visit
  }
}

/** The `ticket` mode: the live conversation, the composer, and the rating once the ticket is resolved. */
export function TicketPanel({
  ticketId,
  token,
  realtime,
  events,
  onForget,
}: {
  ticketId: string;
  token: string;
  realtime: RealtimeClient | null;
  events?: ConversationEvents;
  /** The stored ticket is gone or its token no longer works: forget it and go back to the menu. */
  onForget: () => void;
}) {
  const { t } = useTranslation();
  const c = useConversation(ticketId, token, realtime, events);
  const [rating, setRating] = useState<{ busy: boolean; done: boolean; error: unknown }>({ busy: false, done: wasRated(ticketId), error: null });

  const gone = [c.ticketError, c.messagesError].some((e) => e instanceof ApiError && (e.status === 404 || e.status === 401));
  useEffect(() => {
    if (c.liveError && (c.liveError.code === 'not_found' || c.liveError.code === 'unauthorized')) onForget();
  }, [c.liveError, onForget]);

  if (gone)
    return (
      <div class="tf-panel-body">
        <ErrorNotice error={c.ticketError ?? c.messagesError} />
        <button type="button" class="tf-btn" onClick={onForget}>
          {t('ticket.start_new')}
        </button>
      </div>
    );

  const status = c.ticket?.status;
  const finished = status === 'resolved' || status === 'closed';
  const rate = async (score: number, comment: string) => {
    setRating({ busy: true, done: false, error: null });
    try {
      await rateTicket(ticketId, token, score, comment || undefined);
      markRated(ticketId);
      setRating({ busy: false, done: true, error: null });
    } catch (error) {
      // Already rated (from another tab or device): nothing more to ask.
      if (error instanceof ApiError && error.status === 409) {
        markRated(ticketId);
        setRating({ busy: false, done: true, error: null });
      } else setRating({ busy: false, done: false, error });
    }
  };

  return (
    <div class="tf-ticket">
      <p class="tf-ticket__status">
        {t('ticket.title')}
        {status && <span class={`tf-pill tf-pill--${status}`}>{t(`ticket.status.${status}`)}</span>}
      </p>
      {c.loading ? (
        <p class="tf-muted" role="status">
          {t('common:loading')}
        </p>
      ) : (
        <Conversation
          messages={c.messages}
          hasOlder={c.hasOlder}
          loadingOlder={c.loadingOlder}
          onLoadOlder={c.loadOlder}
          agentTyping={c.agentTyping}
          announcement={c.announcement}
          onRetry={c.retry}
          onDiscard={c.discard}
        />
      )}
      <ErrorNotice error={c.messagesError ?? c.ticketError} onRetry={c.refetch} />
      {finished && (
        <div class="tf-ticket__rating">
          <RatingForm onSubmit={(s, cm) => void rate(s, cm)} busy={rating.busy} done={rating.done} />
          <ErrorNotice error={rating.error} />
        </div>
      )}
      {status === 'closed' ? (
        <p class="tf-note">{t('ticket.closed')}</p>
      ) : finished && !rating.done ? null : (
        // Until a resolved ticket is rated the rating card stands in for the composer: one "send", and a
        // comment can not land in the message box (which would reopen the ticket).
        <Composer onSend={(body, files) => void c.send(body, files)} onTyping={c.typing} draftKey={ticketId} />
      )}
    </div>
  );
}
