import { useEffect, useMemo } from 'preact/hooks';
import { LanguageSwitcher } from '../../lib/language-switcher.tsx';
import { ErrorState, Loading } from '../../staff/components/states.tsx';
import { useMe } from '../../staff/api/get-me.ts';
import { ApiError } from '../../staff/http.ts';
import { useTranslation } from '../../staff/i18n.ts';
import { createRealtimeClient } from '../../lib/realtime-client.ts';
import { RealtimeProvider } from '../../staff/realtime-context.tsx';
import { ChatModes } from '../features/chat-modes/components/chat-modes.tsx';
import { DatabaseInspector } from '../features/db-inspector/components/database-inspector.tsx';
import { EmailQueue } from '../features/email-queue/components/email-queue.tsx';
import { EventLog } from '../features/event-log/components/event-log.tsx';
import { createFrameLog } from '../features/event-log/frame-log.ts';
import { MetricsSummary } from '../features/metrics/components/metrics-summary.tsx';

/**
 * Seed §10's ChatDebug. The server only sends this page to admins; the session is read again here so
 * that a session that ended meanwhile shows the way back to the login page instead of empty panels.
 */
export function DebugApp() {
  const { t } = useTranslation();
  const me = useMe();
  const frameLog = useMemo(() => createFrameLog(), []);
  const realtime = useMemo(() => createRealtimeClient({ WebSocketImpl: frameLog.WebSocketImpl }), [frameLog]);
  useEffect(() => {
    document.title = `${t('debug.title')} · ${t('app.title')}`;
  }, [t]);

  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data || me.data.role !== 'admin') {
    return (
      <main class="debug-denied">
        <ErrorState error={new ApiError({ status: me.data ? 403 : 401, code: me.data ? 'forbidden' : 'unauthorized', message: '' })} />
        <a href="/agent?next=%2Fdebug">{t('debug.backToDashboard')}</a>
      </main>
    );
  }

  return (
    <RealtimeProvider client={realtime}>
      <div class="debug-shell">
        <header class="topbar debug-topbar">
          <div class="brand">
            <span class="brand-mark" aria-hidden="true">
              TF
            </span>
            <span>{t('debug.title')}</span>
          </div>
          <div class="topbar-actions">
            <a href="/agent">{t('debug.backToDashboard')}</a>
            <LanguageSwitcher />
          </div>
        </header>
        <main id="main" class="debug-main">
          <h1 class="sr-only">{t('debug.title')}</h1>
          <div class="debug-grid">
            <ChatModes />
            <div class="debug-col">
              <MetricsSummary />
              <EmailQueue />
            </div>
          </div>
          <DatabaseInspector />
          <EventLog frameLog={frameLog} />
        </main>
      </div>
    </RealtimeProvider>
  );
}
