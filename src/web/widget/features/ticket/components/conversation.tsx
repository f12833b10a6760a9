import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { useTranslation } from '../../../../lib/i18n.ts';
import { MessageBubble, type DisplayMessage } from './message-bubble.tsx';

export type ConversationProps = {
  messages: DisplayMessage[];
  hasOlder?: boolean;
  loadingOlder?: boolean;
  onLoadOlder?: () => void;
  agentTyping?: boolean;
  /** The latest message that arrived live from the other side, read out by screen readers. */
  announcement?: string;
  onRetry?: (clientId: string) => void;
  onDiscard?: (clientId: string) => void;
};

/**
 * The conversation: newest messages at the bottom, older pages loaded when the customer scrolls to the
 * top (or presses the button, for keyboards), the scroll position kept while a page is added above.
 */
export function Conversation({
  messages,
  hasOlder = false,
  loadingOlder = false,
  onLoadOlder,
  agentTyping = false,
  announcement = '',
  onRetry,
  onDiscard,
}: ConversationProps) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  const firstKey = messages[0]?.key;
  const lastKey = messages[messages.length - 1]?.key;
  const prev = useRef<{ firstKey?: string; lastKey?: string; height: number; top: number; atBottom: boolean }>({ height: 0, top: 0, atBottom: true });

  // Older page added above: keep what the customer was reading in place. New message below: follow it
  // when the customer was at the bottom (or wrote it).
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const p = prev.current;
    if (p.firstKey && firstKey !== p.firstKey && lastKey === p.lastKey) {
      el.scrollTop = el.scrollHeight - p.height + p.top;
    } else if (lastKey !== p.lastKey && (p.atBottom || messages[messages.length - 1]?.author_type === 'user')) {
      el.scrollTop = el.scrollHeight;
    }
    prev.current = { firstKey, lastKey, height: el.scrollHeight, top: el.scrollTop, atBottom: p.atBottom };
  }, [firstKey, lastKey, messages.length, agentTyping]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    prev.current.top = el.scrollTop;
    prev.current.height = el.scrollHeight;
    prev.current.atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
  };

  useEffect(() => {
    if (!hasOlder || !onLoadOlder || typeof IntersectionObserver === 'undefined' || !sentinel.current) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && !loadingOlder) onLoadOlder();
      },
      { root: scroller.current, rootMargin: '80px 0px 0px 0px' },
    );
    observer.observe(sentinel.current);
    return () => observer.disconnect();
  }, [hasOlder, loadingOlder, onLoadOlder]);

  return (
    <div class="tf-conv">
      <div ref={scroller} class="tf-conv__scroll" tabIndex={0} role="region" aria-label={t('ticket.history')} onScroll={onScroll}>
        <div ref={sentinel} class="tf-conv__top">
          {hasOlder && (
            <button type="button" class="tf-link" onClick={onLoadOlder} disabled={loadingOlder}>
              {loadingOlder ? t('common:loading') : t('ticket.load_older')}
            </button>
          )}
        </div>
        <ol class="tf-conv__list">
          {messages.map((m) => (
            <MessageBubble key={m.key} message={m} onRetry={onRetry} onDiscard={onDiscard} />
          ))}
        </ol>
        {agentTyping && (
          <p class="tf-typing">
            <span class="tf-typing__dots" aria-hidden="true">
              <span />
              <span />
              <span />
            </span>
            {t('ticket.agent_typing')}
          </p>
        )}
      </div>
      <div class="tf-sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
    </div>
  );
}
