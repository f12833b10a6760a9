import { storyClientMetrics } from '../../../stories/fixtures.ts';
import { withQueryData } from '../../../stories/story-providers.tsx';
import { analyticsKeys } from '../api/get-analytics.ts';
import { ClientMetricsPanel } from './client-metrics-panel.tsx';

const seed = (metrics = storyClientMetrics) =>
  withQueryData((client) => client.setQueryData([...analyticsKeys.all, 'client-metrics', 7], metrics));

export default {
  title: 'Dashboard/Analytics/ClientMetricsPanel',
  component: ClientMetricsPanel,
  decorators: [seed()],
  parameters: { expectKeys: ['clientMetrics.title', 'clientMetrics.hint', 'clientMetrics.day', 'clientMetrics.avg'] },
};

export const Default = { args: {} };
export const NothingMeasured = { decorators: [seed({ ...storyClientMetrics, metrics: [] })], parameters: { expectKeys: ['clientMetrics.empty'] } };
