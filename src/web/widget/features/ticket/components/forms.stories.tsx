import { noop } from '../../../stories/fixtures.ts';
import { Composer } from './Composer.tsx';
import { RatingForm } from './RatingForm.tsx';

export default { title: 'Widget/Forms/Composer', component: Composer, args: { onSend: noop }, parameters: { expectKeys: ['ticket.composer_label'] } };

export const EmptyComposer = { args: {} };
export const Rating = { component: RatingForm, args: { onSubmit: noop }, parameters: { expectKeys: ['rating.question', 'rating.submit'] } };
export const RatingThanks = { component: RatingForm, args: { onSubmit: noop, done: true }, parameters: { expectKeys: ['rating.thanks'] } };
