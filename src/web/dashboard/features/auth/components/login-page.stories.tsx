import { LanguageSwitcher } from '../../../../lib/language-switcher.tsx';
import { withQueryData } from '../../../stories/story-providers.tsx';
import { LoginPage } from './login-page.tsx';

export default {
  title: 'Dashboard/Auth/LoginPage',
  component: LoginPage,
  // A render, not an arg: Storybook serialises args, and a VNode is a cyclic object to it.
  render: () => <LoginPage languageSwitcher={<LanguageSwitcher />} />,
  decorators: [withQueryData()],
  parameters: { expectKeys: ['auth.title', 'auth.subtitle', 'auth.email', 'auth.password', 'auth.submit'] },
};

export const Default = { args: {} };
