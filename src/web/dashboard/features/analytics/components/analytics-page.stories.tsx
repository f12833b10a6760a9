import { AGENT_LIMITS } from '../../../../../contracts/agents.ts';
import { storyAnalytics, storyClientMetrics } from '../../../stories/fixtures.ts';
import { withQueryData } from '../../../stories/story-providers.tsx';
import { analyticsKeys } from '../api/get-analytics.ts';
import { AnalyticsPage } from './analytics-page.tsx';

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The range the page opens on (its default: the last AGENT_LIMITS.analyticsDefaultDays days). */
const defaultRange = () => ({ from: isoDay(Date.now() - (AGENT_LIMITS.analyticsDefaultDays - 1) * DAY_MS), to: isoDay(Date.now()) });
const CLIENT_METRICS_DEFAULT_DAYS = 7;

export default {
  title: 'Dashboard/Analytics/AnalyticsPage',
  component: AnalyticsPage,
  decorators: [
    withQueryData((client) => {
      client.setQueryData(analyticsKeys.range(defaultRange()), storyAnalytics);
      client.setQueryData([...analyticsKeys.all, 'client-metrics', CLIENT_METRICS_DEFAULT_DAYS], storyClientMetrics);
    }),
  ],
  parameters: {
    expectKeys: ['analytics.title', 'analytics.apply', 'analytics.exportCsv', 'analytics.totalTickets', 'analytics.ticketsPerDay', 'analytics.responseTimes', 'analytics.statusBreakdown', 'analytics.intentBreakdown', 'intent.order_tracking', 'clientMetrics.title'],
  },
};

export const Default = { args: {} };
export const Loading = { decorators: [withQueryData()], parameters: { expectKeys: ['analytics.title', 'common.loading'] } };
