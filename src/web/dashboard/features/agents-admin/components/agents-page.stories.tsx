import { storyAgent, storyAgents } from '../../../stories/fixtures.ts';
import { withQueryData } from '../../../stories/story-providers.tsx';
import { agentAccountKeys } from '../api/keys.ts';
import { teamSettingsKeys } from '../api/team-settings.ts';
import { AgentsPage } from './agents-page.tsx';

export default {
  title: 'Dashboard/Admin/AgentsPage',
  component: AgentsPage,
  args: { currentAgentId: storyAgent.id },
  decorators: [
    withQueryData((client) => {
      client.setQueryData(agentAccountKeys.all, { agents: storyAgents });
      client.setQueryData(teamSettingsKeys.all, { autoAssign: 'round_robin', updatedAt: null, updatedBy: null });
    }),
  ],
  parameters: {
    expectKeys: [
      'agents.title',
      'agents.invite',
      'agents.list',
      'agents.you',
      'agents.active',
      'agents.disabled',
      'agents.enable',
      'agents.assignment.title',
      'agents.assignment.roundRobin',
      'agents.assignment.firstValue',
    ],
  },
};

export const Default = { args: {} };
