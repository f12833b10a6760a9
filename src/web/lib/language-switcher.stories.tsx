import { LanguageSwitcher } from './language-switcher.tsx';

export default { title: 'Dashboard/Components/LanguageSwitcher', component: LanguageSwitcher, parameters: { expectKeys: ['common:language'] } };

export const Default = { args: {} };
