import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Lang } from '../../../../../contracts/common.ts';
import { useTranslation } from '../../../../staff/i18n.ts';
import { LIMITS } from '../../../../../contracts/tickets.ts';
import { ApiError } from '../../../../staff/http.ts';
import { useCannedReplies } from '../api/get-canned-replies.ts';
import { useReplyToTicket } from '../api/reply-to-ticket.ts';
import { fillPlaceholders, insertCanned, matchCanned, slashQuery, type PlaceholderValues } from '../canned-text.ts';
import { useAttachmentDrafts } from '../hooks/use-attachment-drafts.ts';
import { AttachmentPicker } from './attachment-picker.tsx';

type Props = {
  ticketId: string;
  draft: string;
  onDraftChange: (value: string) => void;
  onTyping: () => void;
  onSent: () => void;
  focusSignal: number;
  /** The ticket's language (canned replies in it) and the values of their placeholders. */
  lang: Lang;
  placeholders: PlaceholderValues;
};

/**
 * The agent's reply; Ctrl/⌘+Enter sends. The draft is owned by the page so suggestions can fill it.
 * Typing `/word` lists the canned replies of the ticket's language matching it; Enter (or a click)
 * inserts the chosen one with its placeholders filled in.
 */
export function ReplyBox({ ticketId, draft, onDraftChange, onTyping, onSent, focusSignal, lang, placeholders }: Props) {
  const { t } = useTranslation();
  const query = slashQuery(draft);
  const canned = useCannedReplies(lang, query !== null);
  const matches = query === null ? [] : matchCanned(canned.data?.replies ?? [], query).slice(0, 8);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const open = matches.length > 0 && dismissed !== draft;
  const choose = (body: string) => {
    onDraftChange(insertCanned(draft, fillPlaceholders(body, placeholders)));
    setActive(0);
    textarea.current?.focus();
  };
  const reply = useReplyToTicket(ticketId);
  const textarea = useRef<HTMLTextAreaElement>(null);
  // One clientId per reply: kept while the same text is resent after an error, new once it is sent or
  // edited, so that a reply whose answer was lost (a dropped connection, an instance stopping) is never
  // stored twice.
  const pending = useRef<{ body: string; clientId: string; attachmentIds: string[] } | null>(null);
  const files = useAttachmentDrafts(ticketId, t('errors.generic'));

  useEffect(() => {
    if (focusSignal > 0) textarea.current?.focus();
  }, [focusSignal]);

  const send = () => {
    const body = draft.trim();
    if (!body || reply.isPending || files.uploading) return;
    const attachmentIds = files.ids;
    if (pending.current?.body !== body || pending.current.attachmentIds.join() !== attachmentIds.join()) {
      pending.current = { body, clientId: crypto.randomUUID(), attachmentIds };
    }
    reply.mutate(pending.current, {
      onSuccess: () => {
        pending.current = null;
        files.clear();
        onDraftChange('');
        onSent();
      },
    });
  };

  const onSubmit = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    send();
  };

  return (
    <form
      class="reply-box"
      onSubmit={onSubmit}
      onDragOver={(e) => {
        if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
      }}
      onDrop={(e) => {
        if (!e.dataTransfer?.files.length) return;
        e.preventDefault();
        files.add(e.dataTransfer.files);
      }}
    >
      <label for="reply-body" class="sr-only">
        {t('ticket.replyLabel')}
      </label>
      <textarea
        id="reply-body"
        ref={textarea}
        rows={4}
        maxLength={LIMITS.messageMaxChars}
        placeholder={t('ticket.replyPlaceholder')}
        value={draft}
        onInput={(e) => {
          onDraftChange(e.currentTarget.value);
          onTyping();
        }}
        onPaste={(e) => {
          const pasted = e.clipboardData?.files;
          if (!pasted?.length) return;
          e.preventDefault();
          files.add(pasted);
        }}
        aria-controls={open ? 'canned-list' : undefined}
        aria-autocomplete="list"
        onKeyDown={(e) => {
          if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
            e.preventDefault();
            setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
            return;
          }
          if (open && e.key === 'Escape') {
            setDismissed(draft);
            return;
          }
          if (open && e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
            e.preventDefault();
            choose(matches[Math.min(active, matches.length - 1)]!.body);
            return;
          }
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            send();
          }
        }}
      />
      {open && (
        <ul id="canned-list" class="canned-list" role="listbox" aria-label={t('ticket.cannedReplies')}>
          {matches.map((r, i) => (
            <li key={r.id} role="option" aria-selected={i === active} class={i === active ? 'active' : ''} onMouseDown={(e) => (e.preventDefault(), choose(r.body))}>
              <strong>/{r.shortcut}</strong> {r.title}
            </li>
          ))}
        </ul>
      )}
      <AttachmentPicker items={files.items} full={files.full} onAdd={files.add} onRemove={files.remove} />
      <div class="reply-actions">
        <span class="muted small">{t('ticket.replyHint')}</span>
        {reply.error && (
          <span class="error-text" role="alert">
            {reply.error instanceof ApiError && reply.error.status > 0 && reply.error.status < 500
              ? reply.error.message
              : t('errors.generic')}
          </span>
        )}
        <button type="submit" class="btn btn-primary" disabled={reply.isPending || files.uploading || draft.trim() === ''}>
          {reply.isPending ? t('ticket.sending') : t('ticket.send')}
        </button>
      </div>
    </form>
  );
}
