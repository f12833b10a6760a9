import { useEffect, useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import { useTranslation } from '../../../../staff/i18n.ts';
import type { AgentMessage, TimelineEntry as Entry } from '../../../../../contracts/agents.ts';
import { formatDateTime } from '../../../../staff/format.ts';
import { useInboundEmails } from '../api/get-inbound-emails.ts';
import { useOlderMessages } from '../api/get-older-messages.ts';
import type { TicketDetail } from '../api/get-ticket.ts';
import { EmailOrigin } from './email-origin.tsx';
import { MessageAttachments } from './message-attachments.tsx';
import { TimelineEntry } from './timeline-entry.tsx';

type Item = { at: string; kind: 'message'; message: AgentMessage } | { at: string; kind: 'entry'; entry: Entry };

/**
 * The conversation, oldest at the top, with the internal timeline (notes, changes, rating) between the
 * messages: scrolling to the top loads the older pages (docs/dashboard.md), keeping the
 * agent's reading position; a new message scrolls to the bottom only if the agent was already there.
 */
export function Conversation({ detail, customerTyping }: { detail: TicketDetail; customerTyping: boolean }) {
  const { t, lang } = useTranslation();
  const older = useOlderMessages(detail.ticket.id, detail.hasMore ? detail.nextCursor : null);
  const emails = useInboundEmails(detail.ticket.id);
  const scroller = useRef<HTMLDivElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const heightBeforeOlder = useRef<number | null>(null);

  const messages = useMemo(() => {
    const byId = new Map<string, AgentMessage>();
    for (const page of older.data?.pages ?? []) for (const m of page.messages) byId.set(m.id, m);
    for (const m of detail.messages) byId.set(m.id, m);
    return [...byId.values()].sort((a, b) => a.seq - b.seq);
  }, [older.data, detail.messages]);

  const lastPage = older.data?.pages.at(-1);
  const hasOlder = lastPage ? lastPage.hasMore : detail.hasMore && detail.nextCursor !== null;

  // The internal timeline between the messages, by time. While older pages remain, an entry older than
  // the first message loaded waits for them (its place in the conversation is not known yet).
  const items = useMemo(() => {
    const first = messages[0]?.created_at;
    const shown = detail.timeline.filter((e) => !hasOlder || !first || e.created_at >= first);
    const all: Item[] = [
      ...messages.map((m): Item => ({ at: m.created_at, kind: 'message', message: m })),
      ...shown.map((e): Item => ({ at: e.created_at, kind: 'entry', entry: e })),
    ];
    return all.sort((x, y) => x.at.localeCompare(y.at));
  }, [messages, detail.timeline, hasOlder]);

  const loadOlder = () => {
    if (!hasOlder || older.isFetching) return;
    heightBeforeOlder.current = scroller.current?.scrollHeight ?? null;
    void (older.data ? older.fetchNextPage() : older.refetch());
  };

  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasOlder) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) loadOlder();
    }, { root: scroller.current, rootMargin: '80px 0px 0px 0px' });
    observer.observe(el);
    return () => observer.disconnect();
  });

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (heightBeforeOlder.current !== null) {
      el.scrollTop += el.scrollHeight - heightBeforeOlder.current;
      heightBeforeOlder.current = null;
    } else if (stickToBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [items.length, customerTyping]);

  return (
    <div
      class="conversation"
      ref={scroller}
      tabIndex={0}
      role="log"
      aria-label={t('ticket.conversation')}
      onScroll={(e) => {
        const el = e.currentTarget;
        stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      }}
    >
      <div ref={sentinel} class="conversation-top">
        {hasOlder ? (
          <button type="button" class="btn btn-ghost btn-small" onClick={loadOlder} disabled={older.isFetching}>
            {older.isFetching ? t('common.loading') : t('ticket.loadOlder')}
          </button>
        ) : (
          <span class="muted small">{t('ticket.start')}</span>
        )}
      </div>
      <ol class="messages">
        {items.map((item) => {
          if (item.kind === 'entry') return <TimelineEntry key={item.entry.id} entry={item.entry} />;
          const m = item.message;
          return (
            <li key={m.id} class={`message message-${m.author_type}`} data-author={m.author_type}>
              <div class="message-meta">
                <span class="message-author">{t(`author.${m.author_type}`)}</span>
                <time dateTime={m.created_at}>{formatDateTime(m.created_at, lang)}</time>
              </div>
              <p class="message-body">{m.body}</p>
              {emails.data?.has(m.id) && <EmailOrigin info={emails.data.get(m.id)!} />}
              <MessageAttachments attachments={m.attachments} />
            </li>
          );
        })}
      </ol>
      {customerTyping && (
        <p class="typing" aria-live="polite">
          <span class="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {t('ticket.customerTyping')}
        </p>
      )}
    </div>
  );
}
