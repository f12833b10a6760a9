import { noop, storyOrder } from '../../../stories/fixtures.ts';
import { OrderStatus } from './OrderStatus.tsx';
import { TrackForm } from './TrackForm.tsx';

export default { title: 'Widget/Forms/TrackForm', component: TrackForm, args: { onSubmit: noop }, parameters: { expectKeys: ['track.number', 'track.submit'] } };

export const Form = { args: {} };
export const OutForDelivery = {
  component: OrderStatus,
  args: { order: storyOrder, live: true },
  parameters: { expectKeys: ['track.status.out_for_delivery', 'track.live'] },
};
