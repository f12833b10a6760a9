import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'preact/hooks';
import { REALTIME_CLOSE } from '../../../contracts/realtime-constants.ts';
import { useTranslation } from '../../staff/i18n.ts';
import { ErrorState, Loading } from '../../staff/components/states.tsx';
import { LanguageSwitcher } from '../../lib/language-switcher.tsx';
import { AgentsPage } from '../features/agents-admin/components/agents-page.tsx';
import { AlertsButton } from '../features/alerts/components/alerts-button.tsx';
import { AlertsProvider } from '../features/alerts/components/alerts-provider.tsx';
import { AvailabilitySwitch } from '../features/alerts/components/availability-switch.tsx';
import { TeamList } from '../features/alerts/components/team-list.tsx';
import { analyticsKeys } from '../features/analytics/api/get-analytics.ts';
import { AnalyticsPage } from '../features/analytics/components/analytics-page.tsx';
import { StatCards } from '../features/analytics/components/stat-cards.tsx';
import { meQueryKey, switchSession, useMe } from '../../staff/api/get-me.ts';
import { LoginPage } from '../features/auth/components/login-page.tsx';
import { CannedRepliesPage } from '../features/canned-replies-admin/components/canned-replies-page.tsx';
import { FaqEditorPage } from '../features/faq-admin/components/faq-editor-page.tsx';
import { UnansweredPage } from '../features/bot-learning/components/unanswered-page.tsx';
import { LocationsPage } from '../features/locations-admin/components/locations-page.tsx';
import { PrivacyPage } from '../features/privacy-admin/components/privacy-page.tsx';
import { QueuePage } from '../features/tickets/components/queue-page.tsx';
import { TicketPage } from '../features/tickets/components/ticket-page.tsx';
import { ApiError } from '../../staff/http.ts';
import { createRealtimeClient } from '../../lib/realtime-client.ts';
import { RealtimeProvider } from '../../staff/realtime-context.tsx';
import { matchPath, useLocation } from '../lib/router.tsx';
import { Layout } from './layout.tsx';

/** Any 401 after login (session expired, agent disabled) sends the agent back to the login page. */
function useSessionExpiry() {
  const queryClient = useQueryClient();
  useEffect(() => {
    const onError = (error: unknown) => {
      if (error instanceof ApiError && error.status === 401) {
        switchSession(queryClient, null);
      }
    };
    const unsubQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') onError(event.action.error);
    });
    const unsubMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') onError(event.action.error);
    });
    return () => {
      unsubQueries();
      unsubMutations();
    };
  }, [queryClient]);
}

export function App() {
  const { t } = useTranslation();
  const me = useMe();
  useSessionExpiry();

  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) return <LoginPage languageSwitcher={<LanguageSwitcher />} />;
  return <SignedIn agent={me.data} key={me.data.id} title={t('app.title')} />;
}

function SignedIn({ agent, title }: { agent: NonNullable<ReturnType<typeof useMe>['data']>; title: string }) {
  const { t } = useTranslation();
  const { path } = useLocation();
  const queryClient = useQueryClient();
  // One socket per signed-in agent: a new login gets a new socket carrying the new session cookie. A
  // close for an ended session (logout elsewhere, agent disabled) reads the session again.
  const realtime = useMemo(() => {
    const client = createRealtimeClient();
    client.onState((_, code) => {
      if (code === REALTIME_CLOSE.revoked) void queryClient.invalidateQueries({ queryKey: meQueryKey });
    });
    return client;
  }, [queryClient]);

  let page;
  let pageTitle = t('nav.queue');
  const ticket = matchPath('/tickets/:id', path);
  if (path === '/') {
    page = (
      <QueuePage
        header={<StatCards />}
        onLiveChange={() => void queryClient.invalidateQueries({ queryKey: analyticsKeys.all })}
      />
    );
  } else if (ticket) {
    page = <TicketPage ticketId={ticket.id!} key={ticket.id} />;
    pageTitle = t('ticket.pageTitle');
  } else if (path === '/analytics') {
    page = <AnalyticsPage />;
    pageTitle = t('nav.analytics');
  } else if (path.startsWith('/admin/') && agent.role !== 'admin') {
    page = <ErrorState error={new ApiError({ status: 403, code: 'forbidden', message: 'forbidden' })} />;
    pageTitle = t('errors.forbiddenTitle');
  } else if (path === '/admin/agents') {
    page = <AgentsPage currentAgentId={agent.id} />;
    pageTitle = t('nav.agents');
  } else if (path === '/admin/faq') {
    page = <FaqEditorPage />;
    pageTitle = t('nav.faq');
  } else if (path === '/admin/canned-replies') {
    page = <CannedRepliesPage />;
    pageTitle = t('nav.cannedReplies');
  } else if (path === '/admin/unanswered') {
    page = <UnansweredPage />;
    pageTitle = t('learning.nav');
  } else if (path === '/admin/locations') {
    page = <LocationsPage />;
    pageTitle = t('locations.nav');
  } else if (path === '/admin/privacy') {
    page = <PrivacyPage />;
    pageTitle = t('privacy.nav');
  } else {
    page = <ErrorState error={new ApiError({ status: 404, code: 'not_found', message: 'not found' })} />;
    pageTitle = t('errors.notFoundTitle');
  }

  // The title (with the unread alerts' count before it) is set by the alerts.
  return (
    <RealtimeProvider client={realtime}>
      <AlertsProvider agentId={agent.id} title={`${pageTitle} · ${title}`} ticketId={ticket?.id ?? null}>
        <Layout
          agent={agent}
          actions={
            <>
              <AvailabilitySwitch />
              <AlertsButton />
            </>
          }
          sidebar={<TeamList />}
        >
          {page}
        </Layout>
      </AlertsProvider>
    </RealtimeProvider>
  );
}
