import { storyFaqEntries, storyFaqVersion } from '../../../stories/fixtures.ts';
import { withQueryData } from '../../../stories/story-providers.tsx';
import { faqKeys } from '../api/get-faq-entries.ts';
import { FaqEditorPage } from './faq-editor-page.tsx';

export default {
  title: 'Dashboard/Admin/FaqEditorPage',
  component: FaqEditorPage,
  decorators: [withQueryData((client) => client.setQueryData(faqKeys.all, { entries: storyFaqEntries, version: storyFaqVersion }))],
  parameters: { expectKeys: ['faq.title', 'faq.question', 'faq.answer', 'faq.phrasings', 'faq.save', 'languages.nl'] },
};

export const Default = { args: {} };
