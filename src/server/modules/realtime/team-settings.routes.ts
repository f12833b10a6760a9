import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBodySchema } from '../../../contracts/errors.ts';
import { teamSettingsSchema, updateTeamSettingsBodySchema } from '../../../contracts/team.ts';
import { currentAgent, requireAdmin, requireAgent } from '../agents/index.ts';
import { getTeamSettings, updateTeamSettings } from './team-settings.repo.ts';

/**
 * The team's settings (docs/agents.md "Round-robin"): every agent reads them, admins change them (403 for
 * agents). What an admin chose stays across restarts: AUTO_ASSIGN only gives the first value.
 */
export const teamSettingsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.get(
    '/api/agent/team/settings',
    { onRequest: requireAgent, schema: { response: { 200: teamSettingsSchema, '4xx': errorBodySchema } } },
    async () => getTeamSettings(app.db),
  );

  app.put(
    '/api/agent/team/settings',
    { onRequest: requireAdmin, schema: { body: updateTeamSettingsBodySchema, response: { 200: teamSettingsSchema, '4xx': errorBodySchema } } },
    async (request) => {
      const admin = currentAgent(request);
      const settings = await updateTeamSettings(app.db, admin.id, request.body);
      request.log.info({ agentId: admin.id, autoAssign: settings.autoAssign }, 'team settings changed');
      return settings;
    },
  );
};
