import { noop } from '../../../stories/fixtures.ts';
import { Composer } from './composer.tsx';
import { RatingForm } from './rating-form.tsx';

export default { title: 'Widget/Forms/Composer', component: Composer, args: { onSend: noop }, parameters: { expectKeys: ['ticket.composer_label'] } };

export const EmptyComposer = { args: {} };
// Storybook renders the meta's component unless a story has its own `render`.
export const Rating = { render: () => <RatingForm onSubmit={noop} />, parameters: { expectKeys: ['rating.question', 'rating.submit'] } };
export const RatingThanks = { render: () => <RatingForm onSubmit={noop} done />, parameters: { expectKeys: ['rating.thanks'] } };
