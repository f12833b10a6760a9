import { noop } from '../../../stories/fixtures.ts';
import { HelpMenu } from './help-menu.tsx';

export default { title: 'Widget/HelpMenu', component: HelpMenu, args: { onSelect: noop }, parameters: { expectKeys: ['help.title', 'help.faq.label'] } };

export const Default = { args: {} };
export const WithConversation = { args: { hasConversation: true }, parameters: { expectKeys: ['help.ticket.label'] } };
export const WithFrenchLocale = { args: {}, globals: { lang: 'fr' } };
export const WithEnglishLocale = { args: {}, globals: { lang: 'en' } };
export const WithDutchLocale = { args: {}, globals: { lang: 'nl' } };
