import { storyAgent } from '../stories/fixtures.ts';
import { withQueryData, withRealtime } from '../stories/story-providers.tsx';
import type { Agent as StaffAgent } from '../../../contracts/agents.ts';
import { Layout } from './layout.tsx';

export default {
  title: 'Dashboard/App/Layout',
  component: Layout,
  args: { agent: storyAgent },
  // Children in a render, not in args: Storybook serialises args, and a VNode is a cyclic object to it.
  render: ({ agent }: { agent: StaffAgent }) => (
    <Layout agent={agent}>
      <p>…</p>
    </Layout>
  ),
  decorators: [withRealtime(), withQueryData()],
  parameters: { expectKeys: ['nav.queue', 'nav.analytics', 'nav.agents', 'nav.faq', 'nav.debug', 'roles.admin', 'auth.logout'] },
};

export const Admin = { args: {} };
export const Agent = { args: { agent: { ...storyAgent, name: 'Lina', role: 'agent' } }, parameters: { expectKeys: ['nav.queue', 'roles.agent', 'auth.logout'] } };
