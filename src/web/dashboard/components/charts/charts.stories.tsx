import { BarChart } from './bar-chart.tsx';
import { HorizontalBars } from './horizontal-bars.tsx';

const perDay = Array.from({ length: 14 }, (_, i) => ({ label: `${i + 1}/06`, value: 3 + ((i * 5) % 11) }));
const statuses = [
  { label: 'Open', value: 31, tone: 'tone-open' },
  { label: 'Pending', value: 12, tone: 'tone-pending' },
  { label: 'Resolved', value: 148, tone: 'tone-resolved' },
  { label: 'Closed', value: 23, tone: 'tone-closed' },
];

export default {
  title: 'Dashboard/Components/Charts',
  component: BarChart,
  args: { title: 'Tickets per day', summary: '14 days, busiest 14/06', data: perDay, valueHeader: 'Tickets' },
  parameters: { expectKeys: ['charts.showData', 'charts.label'] },
};

export const Bars = { args: {} };
export const ManyBars = { args: { data: Array.from({ length: 90 }, (_, i) => ({ label: `d${i + 1}`, value: (i * 7) % 13 })), width: 1100 } };
export const Horizontal = {
  render: () => <HorizontalBars title="Tickets by status" summary="Open 31, Pending 12, Resolved 148, Closed 23" data={statuses} valueHeader="Tickets" />,
};
export const NoData = { args: { data: [], summary: 'no tickets' } };
