import { noop } from '../../../stories/fixtures.ts';
import { ContactForm } from './contact-form.tsx';

export default { title: 'Widget/Forms/ContactForm', component: ContactForm, args: { onSubmit: noop }, parameters: { expectKeys: ['support.title', 'support.email', 'support.submit'] } };

export const Empty = { args: {} };
export const Prefilled = { args: { initial: { message: 'Is your meat halal?' } } };
export const Sending = { args: { busy: true }, parameters: { expectKeys: ['support.sending'] } };
