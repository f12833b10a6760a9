import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createTicketBodySchema,
  createTicketResponseSchema,
  ticketParamsSchema,
  ticketResponseSchema,
} from '../../../contracts/tickets.ts';
import { errorBodySchema } from '../../../contracts/errors.ts';
import { langFromAcceptLanguage } from '../../i18n.ts';
import { bearerToken } from './ticket-token.ts';
import { createTicket, getTicket } from './tickets.service.ts';

export const ticketsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/tickets',
    {
      schema: {
        body: createTicketBodySchema,
        response: { 200: createTicketResponseSchema, 201: createTicketResponseSchema, '4xx': errorBodySchema },
      },
    },
    async (request, reply) => {
      if (request.body.lang) request.lang = request.body.lang;
      const created = await createTicket({
        db: app.db,
        input: request.body,
        fallbackLang: langFromAcceptLanguage(request.headers['accept-language']),
        clientAddress: request.ip,
      });
      return reply.status(created.replayed ? 200 : 201).send({ ticket: created.ticket, token: created.token });
    },
  );

  app.get(
    '/api/tickets/:id',
    { schema: { params: ticketParamsSchema, response: { 200: ticketResponseSchema, '4xx': errorBodySchema } } },
    async (request) => {
      const ticket = await getTicket({
        db: app.db,
        ticketId: request.params.id,
        token: bearerToken(request.headers.authorization),
      });
      request.lang = ticket.lang;
      return { ticket };
    },
  );
};
