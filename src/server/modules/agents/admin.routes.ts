import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  agentAccountListSchema,
  agentAccountResponseSchema,
  agentParamsSchema,
  createAgentBodySchema,
  createAgentResponseSchema,
  updateAgentBodySchema,
} from '../../../contracts/agents.ts';
import { errorBodySchema } from '../../../contracts/errors.ts';
import { requireAdmin } from './auth-hooks.ts';
import { toAgentAccount } from './agents.repo.ts';
import { createAgent, listAgentAccounts, updateAgent } from './agents.service.ts';

/** Agent management: admins only (403 for agents, 401 without a session). */
export const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', requireAdmin);

  app.get('/api/admin/agents', { schema: { response: { 200: agentAccountListSchema, '4xx': errorBodySchema } } }, async () => ({
    agents: await listAgentAccounts(app.db),
  }));

  app.post(
    '/api/admin/agents',
    { schema: { body: createAgentBodySchema, response: { 201: createAgentResponseSchema, '4xx': errorBodySchema } } },
    async (request, reply) => {
      const created = await createAgent({ q: app.db, input: request.body });
      reply.header('cache-control', 'no-store');
      return reply.status(201).send({ agent: toAgentAccount(created.agent), ...(created.password ? { password: created.password } : {}) });
    },
  );

  app.patch(
    '/api/admin/agents/:id',
    {
      schema: {
        params: agentParamsSchema,
        body: updateAgentBodySchema,
        response: { 200: agentAccountResponseSchema, '4xx': errorBodySchema },
      },
    },
    async (request) => ({ agent: await updateAgent({ db: app.db, agentId: request.params.id, changes: request.body }) }),
  );
};
