import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { suggestionsResponseSchema } from '../../../contracts/bot.ts';
import { errorBodySchema } from '../../../contracts/errors.ts';
import { ticketParamsSchema } from '../../../contracts/tickets.ts';
import { requireAgent } from '../agents/auth-hooks.ts';
import { getBotModel } from './bot-model.ts';
import { getTicketSuggestions } from './bot.service.ts';

export const botRoutes: FastifyPluginAsyncZod = async (app) => {
  // Trained here, while the server starts, so the first customer does not wait for it.
  getBotModel();

  app.get(
    '/api/agent/tickets/:id/suggestions',
    {
      onRequest: requireAgent,
      schema: { params: ticketParamsSchema, response: { 200: suggestionsResponseSchema, '4xx': errorBodySchema } },
    },
    async (request) => ({ suggestions: await getTicketSuggestions({ db: app.db, ticketId: request.params.id }) }),
  );
};
