import type { Attachment } from '../../../../../contracts/attachments.ts';
import type { AuthorType } from '../../../../../contracts/tickets.ts';
import { LazyAttachmentList } from '../attachments/lazy.tsx';
import { useTranslation } from '../../../../lib/i18n.ts';

/** A message as the conversation shows it: stored by the server, or still in the outbox. */
export type DisplayMessage = {
  /** The server's id, or the clientId of a message not stored yet. */
  key: string;
  author_type: AuthorType;
  body: string;
  created_at: string | null;
  state: 'sent' | 'pending' | 'failed';
  clientId?: string | null;
  error?: string;
  /** The files a stored message carries, fetched with the ticket's token; the names of those still queued. */
  attachments?: Attachment[];
  files?: string[];
  token?: string;
};

export function MessageBubble({
  message,
  onRetry,
  onDiscard,
}: {
  message: DisplayMessage;
  onRetry?: (clientId: string) => void;
  onDiscard?: (clientId: string) => void;
}) {
  const { t, lang } = useTranslation();
  const mine = message.author_type === 'user';
  const when = message.created_at ? new Date(message.created_at) : null;
  return (
    <li class={`tf-msg ${mine ? 'tf-msg--mine' : 'tf-msg--theirs'}`} data-state={message.state} data-author={message.author_type}>
      <div class={`tf-bubble tf-bubble--${message.author_type}`}>
        <span class="tf-sr-only">{t(`ticket.author.${message.author_type}`)}: </span>
        {!mine && (
          <span class="tf-bubble__author" aria-hidden="true">
            {t(`ticket.author.${message.author_type}`)}
          </span>
        )}
        <p class="tf-bubble__body">{message.body}</p>
        {message.attachments && message.token && <LazyAttachmentList attachments={message.attachments} token={message.token} />}
        {message.files && <p class="tf-bubble__files">📎 {message.files.join(', ')}</p>}
        <span class="tf-bubble__meta">
          {message.state === 'pending' && <span class="tf-pending">{t('ticket.pending')}</span>}
          {message.state === 'failed' && <span class="tf-failed">{t('ticket.failed')}</span>}
          {message.state === 'sent' && when && (
            <time dateTime={message.created_at ?? undefined}>{when.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' })}</time>
          )}
        </span>
      </div>
      {message.state === 'failed' && message.clientId && (
        <div class="tf-msg__failed" role="alert">
          {message.error && <p>{message.error}</p>}
          {onRetry && (
            <button type="button" class="tf-link" onClick={() => onRetry(message.clientId!)}>
              {t('common:retry')}
            </button>
          )}
          {onDiscard && (
            <button type="button" class="tf-link" onClick={() => onDiscard(message.clientId!)}>
              {t('ticket.discard')}
            </button>
          )}
        </div>
      )}
    </li>
  );
}
