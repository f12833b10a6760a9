import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBodySchema } from '../../../contracts/errors.ts';
import {
  listMessagesQuerySchema,
  messagePageSchema,
  messageResponseSchema,
  sendMessageBodySchema,
  ticketParamsSchema,
} from '../../../contracts/tickets.ts';
import { bearerToken } from '../tickets/ticket-token.ts';
import { listMessages, sendCustomerMessage } from './messages.service.ts';

export const messagesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/tickets/:id/messages',
    {
      schema: {
        params: ticketParamsSchema,
        querystring: listMessagesQuerySchema,
        response: { 200: messagePageSchema, '4xx': errorBodySchema },
      },
    },
    async (request) => {
      const { ticket, ...page } = await listMessages({
        db: app.db,
        ticketId: request.params.id,
        token: bearerToken(request.headers.authorization),
        limit: request.query.limit,
        cursor: request.query.cursor,
      });
      request.lang = ticket.lang;
      return page;
    },
  );

  app.post(
    '/api/tickets/:id/messages',
    {
      schema: {
        params: ticketParamsSchema,
        body: sendMessageBodySchema,
        response: { 200: messageResponseSchema, 201: messageResponseSchema, '4xx': errorBodySchema },
      },
    },
    async (request, reply) => {
      const { message, created } = await sendCustomerMessage({
        db: app.db,
        ticketId: request.params.id,
        token: bearerToken(request.headers.authorization),
        body: request.body.body,
        clientId: request.body.clientId,
      });
      return reply.status(created ? 201 : 200).send({ message });
    },
  );
};
