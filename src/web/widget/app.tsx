import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ChatMode } from '../lib/chat-modes.ts';
import { useTranslation } from '../lib/i18n.ts';
import { LanguageSwitcher } from '../lib/language-switcher.tsx';
import { perfMonitor } from '../lib/perf-monitor.ts';
import type { RealtimeClient, RealtimeState } from '../lib/realtime-client.ts';
import { useRealtimeState } from '../lib/use-realtime-state.ts';
import { ConnectionBadge } from './components/connection-badge.tsx';
import { FaqPanel } from './features/faq/components/faq-panel.tsx';
import { HelpMenu, type HelpOption } from './features/help/components/help-menu.tsx';
import { SupportPanel } from './features/support/components/support-panel.tsx';
import { ThreadPanel, type ThreadOutbox } from './features/thread/components/thread-panel.tsx';
import { createMessageStore } from './features/ticket/api/offline-queue.ts';
import { TicketPanel } from './features/ticket/components/ticket-panel.tsx';
import { TrackPanel } from './features/track/components/track-panel.tsx';
import { EMBED_MESSAGES, onHostMessage, postToHost, useHostHandover } from './lib/embed.ts';
import { askNotificationPermission, notifyWhenHidden } from './lib/notifications.ts';
import { clearTicketSession, readThreadToken, readTicketSession, saveThreadToken, saveTicketSession, type TicketSession } from './lib/ticket-session.ts';

/**
 * The connection state under the header: a conversation's, else only "offline". Tracking shows its own
 * once an order that follows the connection is on screen ("Connecting…" before any search meant nothing).
 */
export function headerConnection(mode: ChatMode, state: RealtimeState): RealtimeState | null {
  if (mode === 'ticket') return state;
  return state === 'offline' ? state : null;
}

// The thread's questions asked offline wait in the widget's outbox store (IndexedDB, else memory), opened once.
let threadStore: ThreadOutbox | null = null;
const threadOutbox = () => (threadStore ??= createMessageStore());

export type AppProps = {
  queryClient: QueryClient;
  realtime: RealtimeClient | null;
  embedded?: boolean;
  /** A ticket opened from the e-mailed link (already stored). */
  initialSession?: TicketSession | null;
  initialMode?: ChatMode;
};

/**
 * The widget's shell: header (back, title, connection state, language, close), one panel per mode,
 * focus moved to the panel's heading on every change (and when the embedded panel opens), Escape closes
 * the embedded panel, unread replies counted for the launcher while it is closed.
 */
export function App({ queryClient, realtime, embedded = false, initialSession = null, initialMode }: AppProps) {
  const { t, lang } = useTranslation();
  const [session, setSession] = useState<TicketSession | null>(() => initialSession ?? readTicketSession());
  // A conversation in progress (stored, or opened from the e-mailed link) is where the customer left off.
  const [mode, setMode] = useState<ChatMode>(() => initialMode ?? (initialSession || readTicketSession() ? 'ticket' : 'welcome'));
  const [supportPrefill, setSupportPrefill] = useState<string | undefined>(undefined);
  const state = useRealtimeState(realtime);
  const main = useRef<HTMLElement>(null);
  const visible = useRef(!embedded);
  const unread = useRef(0);
  const firstRender = useRef(true);

  const focusPanel = useCallback(() => {
    const target = main.current?.querySelector<HTMLElement>('h2, [data-autofocus]') ?? main.current;
    if (!target) return;
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus({ preventScroll: false });
  }, []);

  useEffect(() => {
    const end = perfMonitor.startMeasure(`${mode}_render`);
    requestAnimationFrame(() => end());
    if (firstRender.current) {
      firstRender.current = false;
      if (!embedded) return; // a full page keeps the browser's own start position
    }
    focusPanel();
  }, [mode, focusPanel, embedded]);

  useEffect(() => {
    if (!embedded) return;
    postToHost(EMBED_MESSAGES.ready);
    const off = onHostMessage({
      opened: () => {
        visible.current = true;
        unread.current = 0;
        postToHost(EMBED_MESSAGES.unread, { count: 0 });
        focusPanel();
      },
      hidden: () => {
        visible.current = false;
      },
    });
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') postToHost(EMBED_MESSAGES.close);
    };
    addEventListener('keydown', onKey);
    return () => {
      off();
      removeEventListener('keydown', onKey);
    };
  }, [embedded, focusPanel]);

  const openTicket = useCallback((s: TicketSession) => {
    saveTicketSession(s);
    setSession(s);
    setMode('ticket');
  }, []);
  // The bot thread's token (ThreadPanel): kept in this page's storage, else on the host page (embed).
  const [thread, setThread] = useState<string | null>(readThreadToken);
  const keepThread = useCallback((token: string | null) => {
    saveThreadToken(token);
    setThread(token);
  }, []);
  const forgetTicket = useCallback(() => {
    clearTicketSession();
    setSession(null);
    keepThread(null);
    setMode('help');
  }, []);
  useHostHandover({ embedded, session, lang, adopt: openTicket, thread, adoptThread: keepThread });

  const select = (option: HelpOption) => {
    if (option === 'support') setSupportPrefill(undefined);
    setMode(option === 'ticket' && !session ? 'support' : option);
  };

  const events = {
    onSent: askNotificationPermission,
    // The ticket was merged into another: the same token opens that one, which holds both conversations.
    onMerged: (into: string) => {
      if (session && session.id !== into) openTicket({ ...session, id: into });
    },
    onReply: (m: { author_type: string; body: string }) => {
      if (m.author_type !== 'agent') return;
      notifyWhenHidden(t('notify.title'), m.body, session?.id ?? 'ticket');
      if (embedded && !visible.current) postToHost(EMBED_MESSAGES.unread, { count: ++unread.current });
    },
  };

  const headerState = headerConnection(mode, state);
  return (
    <QueryClientProvider client={queryClient}>
      <div class={`tf-app${embedded ? ' tf-app--embedded' : ''}`} id="tf-panel">
        <header class="tf-header">
          {mode !== 'welcome' ? (
            <button type="button" class="tf-icon-btn" onClick={() => setMode(mode === 'help' ? 'welcome' : 'help')} aria-label={t('common:back')}>
              <span aria-hidden="true">←</span>
            </button>
          ) : (
            <span class="tf-logo" aria-hidden="true">
              TF
            </span>
          )}
          <h1 class="tf-title">{t('header.title')}</h1>
          <LanguageSwitcher classPrefix="tf-" />
          {embedded && (
            <button type="button" class="tf-icon-btn" onClick={() => postToHost(EMBED_MESSAGES.close)} aria-label={t('common:close')}>
              <span aria-hidden="true">×</span>
            </button>
          )}
        </header>
        {headerState && (
          <div class="tf-statusbar">
            <ConnectionBadge state={headerState} />
          </div>
        )}
        <main ref={main} class="tf-main" data-mode={mode}>
          {mode === 'welcome' && (
            <ThreadPanel
              token={thread}
              onToken={keepThread}
              outbox={threadOutbox()}
              handoff={(message) => <SupportPanel initialMessage={message} conversationToken={thread} onOpened={openTicket} />}
              onHelp={() => setMode('help')}
              track={(orderNumber) => <TrackPanel realtime={realtime} connection={state} initialNumber={orderNumber} />}
            />
          )}
          {mode === 'help' && <HelpMenu onSelect={select} hasConversation={!!session} />}
          {mode === 'faq' && <FaqPanel onContact={() => select('support')} />}
          {mode === 'track' && <TrackPanel realtime={realtime} connection={state} />}
          {mode === 'support' && <SupportPanel initialMessage={supportPrefill} onOpened={openTicket} />}
          {mode === 'ticket' && session && (
            <TicketPanel key={session.id} ticketId={session.id} token={session.token} realtime={realtime} events={events} onForget={forgetTicket} />
          )}
        </main>
      </div>
    </QueryClientProvider>
  );
}
