import { storyAgent, storyAgents } from '../../../stories/fixtures.ts';
import { withQueryData } from '../../../stories/story-providers.tsx';
import { agentAccountKeys } from '../api/keys.ts';
import { AgentsPage } from './agents-page.tsx';

export default {
  title: 'Dashboard/Admin/AgentsPage',
  component: AgentsPage,
  args: { currentAgentId: storyAgent.id },
  decorators: [withQueryData((client) => client.setQueryData(agentAccountKeys.all, { agents: storyAgents }))],
  parameters: { expectKeys: ['agents.title', 'agents.invite', 'agents.list', 'agents.you', 'agents.active', 'agents.disabled', 'agents.enable'] },
};

export const Default = { args: {} };
