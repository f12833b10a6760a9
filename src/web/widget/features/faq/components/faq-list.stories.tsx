import { noop, storyFaq } from '../../../stories/fixtures.ts';
import { FaqList } from './faq-list.tsx';

export default { title: 'Widget/FaqList', component: FaqList, args: { entries: storyFaq }, parameters: { expectKeys: ['faq.title', 'faq.search'] } };

export const Default = { args: {} };
export const WithContactLink = { args: { onContact: noop }, parameters: { expectKeys: ['faq.contact'] } };
export const Empty = { args: { entries: [] }, parameters: { expectKeys: ['faq.empty'] } };
