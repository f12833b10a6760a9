import { LanguageSwitcher } from '../../../components/LanguageSwitcher.tsx';
import { withQueryData } from '../../../stories/story-providers.tsx';
import { LoginPage } from './LoginPage.tsx';

export default {
  title: 'Dashboard/Auth/LoginPage',
  component: LoginPage,
  args: { languageSwitcher: <LanguageSwitcher /> },
  decorators: [withQueryData()],
  parameters: { expectKeys: ['auth.title', 'auth.subtitle', 'auth.email', 'auth.password', 'auth.submit'] },
};

export const Default = { args: {} };
