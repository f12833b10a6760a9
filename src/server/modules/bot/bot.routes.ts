import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { askBodySchema, askResponseSchema, suggestionsResponseSchema } from '../../../contracts/bot.ts';
import { errorBodySchema } from '../../../contracts/errors.ts';
import { ticketParamsSchema } from '../../../contracts/tickets.ts';
import { langFromAcceptLanguage } from '../../i18n.ts';
import { requireAgent } from '../agents/auth-hooks.ts';
import { getBotModel } from './bot-model.ts';
import { askBot, getTicketSuggestions } from './bot.service.ts';

export const botRoutes: FastifyPluginAsyncZod = async (app) => {
  // Trained here, while the server starts, so the first customer does not wait for it.
  getBotModel();

  app.post(
    '/api/chat/ask',
    { schema: { body: askBodySchema, response: { 200: askResponseSchema, '4xx': errorBodySchema } } },
    async (request) => {
      const header = request.headers['accept-language'];
      const answer = await askBot({
        db: app.db,
        text: request.body.text,
        lang: request.body.lang,
        browserLang: header ? langFromAcceptLanguage(header) : undefined,
      });
      request.lang = answer.lang;
      return answer;
    },
  );

  app.get(
    '/api/agent/tickets/:id/suggestions',
    {
      onRequest: requireAgent,
      schema: { params: ticketParamsSchema, response: { 200: suggestionsResponseSchema, '4xx': errorBodySchema } },
    },
    async (request) => ({ suggestions: await getTicketSuggestions({ db: app.db, ticketId: request.params.id }) }),
  );
};
