import { StatCards } from '../../analytics/components/stat-cards.tsx';
import { analyticsKeys } from '../../analytics/api/get-analytics.ts';
import { storyAnalytics, storyChecklist, storyEmptyQueue, storyQueue } from '../../../stories/fixtures.ts';
import { withQueryData, withRealtime, type Seed } from '../../../stories/story-providers.tsx';
import { ticketKeys } from '../api/keys.ts';
import { QueuePage } from './queue-page.tsx';

/** The query the page asks for with no filter in the address bar (open tickets, newest first, 20 a page). */
const FIRST_PAGE = { status: 'open', sort: 'created_at', order: 'desc', page: 1, limit: 20 } as const;
const seedQueue =
  (queue = storyQueue): Seed =>
  (client) =>
    client.setQueryData(ticketKeys.queue(FIRST_PAGE), queue);

export default {
  title: 'Dashboard/Tickets/QueuePage',
  component: QueuePage,
  decorators: [withRealtime(), withQueryData(seedQueue())],
  parameters: { expectKeys: ['queue.title', 'queue.colCustomer', 'queue.colPriority', 'status.pending', 'priority.urgent', 'queue.next', 'queue.assignee.me', 'queue.assignee.none'] },
};

export const Default = { args: {} };
// A render, not an arg: Storybook serialises args, and a VNode is a cyclic object to it.
export const WithStatCards = {
  render: () => <QueuePage header={<StatCards />} />,
  decorators: [
    withQueryData((client) => {
      seedQueue()(client);
      client.setQueryData([...analyticsKeys.all, 'checklist'], storyChecklist);
      client.setQueryData(analyticsKeys.range({}), storyAnalytics);
    }),
  ],
  parameters: { expectKeys: ['queue.title', 'stats.today', 'stats.errors', 'stats.last30Label'] },
};
export const Empty = { decorators: [withQueryData(seedQueue(storyEmptyQueue))], parameters: { expectKeys: ['queue.empty'] } };
export const Loading = { decorators: [withQueryData()], parameters: { expectKeys: ['queue.title', 'common.loading'] } };
