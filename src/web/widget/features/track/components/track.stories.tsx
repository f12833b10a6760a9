import { noop, storyOrder } from '../../../stories/fixtures.ts';
import { OrderStatus } from './order-status.tsx';
import { TrackForm } from './track-form.tsx';

export default { title: 'Widget/Forms/TrackForm', component: TrackForm, args: { onSubmit: noop }, parameters: { expectKeys: ['track.number', 'track.submit'] } };

export const Form = { args: {} };
// Storybook renders the meta's component unless a story has its own `render`.
export const OutForDelivery = {
  render: () => <OrderStatus order={storyOrder} live />,
  parameters: { expectKeys: ['track.status.out_for_delivery', 'track.live'] },
};
