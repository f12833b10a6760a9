import { storyAnalytics, storyChecklist } from '../../../stories/fixtures.ts';
import { withQueryData } from '../../../stories/story-providers.tsx';
import { analyticsKeys } from '../api/get-analytics.ts';
import { StatCards } from './stat-cards.tsx';

export default {
  title: 'Dashboard/Analytics/StatCards',
  component: StatCards,
  decorators: [
    withQueryData((client) => {
      client.setQueryData([...analyticsKeys.all, 'checklist'], storyChecklist);
      client.setQueryData(analyticsKeys.range({}), storyAnalytics);
    }),
  ],
  parameters: { expectKeys: ['stats.today', 'stats.errors', 'stats.open', 'stats.now', 'stats.last30Label', 'stats.resolutionRate', 'stats.csat'] },
};

export const Default = { args: {} };
export const NoErrorsToday = {
  decorators: [
    withQueryData((client) => {
      client.setQueryData([...analyticsKeys.all, 'checklist'], { ...storyChecklist, errors: { server: 0, client: 0, total: 0 } });
      client.setQueryData(analyticsKeys.range({}), storyAnalytics);
    }),
  ],
};
export const Loading = { decorators: [withQueryData()], parameters: { expectKeys: ['stats.today', 'common.loadingShort'] } };
