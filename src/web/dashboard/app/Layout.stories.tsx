import { storyAgent } from '../stories/fixtures.ts';
import { withQueryData, withRealtime } from '../stories/story-providers.tsx';
import { Layout } from './Layout.tsx';

export default {
  title: 'Dashboard/App/Layout',
  component: Layout,
  args: { agent: storyAgent, children: <p>…</p> },
  decorators: [withRealtime(), withQueryData()],
  parameters: { expectKeys: ['nav.queue', 'nav.analytics', 'nav.agents', 'nav.faq', 'nav.debug', 'roles.admin', 'auth.logout'] },
};

export const Admin = { args: {} };
export const Agent = { args: { agent: { ...storyAgent, name: 'Lina', role: 'agent' } }, parameters: { expectKeys: ['nav.queue', 'roles.agent', 'auth.logout'] } };
