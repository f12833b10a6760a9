import { storyClientMetrics } from '../../../stories/fixtures.ts';
import { withQueryData } from '../../../stories/story-providers.tsx';
import { analyticsKeys } from '../api/get-analytics.ts';
import { useClientMetrics } from '../api/get-client-metrics.ts';
import { ClientMetricsPanel } from '../../../../staff/client-metrics/client-metrics-panel.tsx';

const seed = (metrics = storyClientMetrics) =>
  withQueryData((client) => client.setQueryData([...analyticsKeys.all, 'client-metrics', 7], metrics));

export default {
  title: 'Dashboard/Analytics/ClientMetricsPanel',
  component: ClientMetricsPanel,
  decorators: [seed()],
  parameters: { expectKeys: ['clientMetrics.title', 'clientMetrics.hint', 'clientMetrics.day', 'clientMetrics.avg'] },
};

// The dashboard's use of the shared panel (src/web/staff/client-metrics/): every agent's browsers, 7 days.
export const Default = { render: () => <ClientMetricsPanel useSummary={useClientMetrics} /> };
export const NothingMeasured = { decorators: [seed({ ...storyClientMetrics, metrics: [] })], render: Default.render, parameters: { expectKeys: ['clientMetrics.empty'] } };
