import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '../../../contracts/errors.ts';
import {
  availabilityResponseSchema,
  mentionListSchema,
  mentionQuerySchema,
  readMentionsBodySchema,
  setAvailabilityBodySchema,
  teamListSchema,
} from '../../../contracts/team.ts';
import { BUS_EVENTS, publishEvent } from '../../events/bus.ts';
import { AppError } from '../../http/app-error.ts';
import { currentAgent, requireAgent } from '../agents/index.ts';
import { listMentions, markMentionsRead } from '../tickets/index.ts';
import { findAvailability, listTeam, upsertAvailabilityChoice } from './availability.repo.ts';

const MENTIONS_PAGE = 50;

/**
 * The team (docs/agents.md "Availability", "Mentions"): every agent lists the active agents with their
 * availability (the team list, the assignment picker), chooses their own, and reads their @mentions.
 */
export const teamRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', requireAgent);
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.get('/api/agent/agents', { schema: { response: { 200: teamListSchema, '4xx': errorBodySchema } } }, async () => ({
    agents: await listTeam(app.db),
  }));

  app.put(
    '/api/agent/availability',
    { schema: { body: setAvailabilityBodySchema, response: { 200: availabilityResponseSchema, '4xx': errorBodySchema } } },
    async (request) => {
      const agent = currentAgent(request);
      const found = await app.db.transaction(async (tx) => {
        await upsertAvailabilityChoice(tx, agent.id, request.body.status);
        await publishEvent(tx, { type: BUS_EVENTS.availabilityChanged, agentId: agent.id });
        return findAvailability(tx, agent.id);
      });
      if (!found) throw new AppError('unauthorized', { reason: 'session_required' });
      return found;
    },
  );

  app.get('/api/agent/availability', { schema: { response: { 200: availabilityResponseSchema, '4xx': errorBodySchema } } }, async (request) => {
    const found = await findAvailability(app.db, currentAgent(request).id);
    if (!found) throw new AppError('unauthorized', { reason: 'session_required' });
    return found;
  });

  app.get(
    '/api/agent/mentions',
    { schema: { querystring: mentionQuerySchema, response: { 200: mentionListSchema, '4xx': errorBodySchema } } },
    async (request) => ({
      mentions: await listMentions(app.db, currentAgent(request).id, request.query.unread !== undefined, MENTIONS_PAGE),
    }),
  );

  app.post(
    '/api/agent/mentions/read',
    { schema: { body: readMentionsBodySchema, response: { 204: z.null(), '4xx': errorBodySchema } } },
    async (request, reply) => {
      await markMentionsRead(app.db, currentAgent(request).id, request.body.ids);
      return reply.status(204).send(null);
    },
  );
};
