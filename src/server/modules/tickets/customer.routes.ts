import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ratingBodySchema, ratingResponseSchema } from '../../../contracts/agents.ts';
import { errorBodySchema } from '../../../contracts/errors.ts';
import {
  createTicketBodySchema,
  createTicketResponseSchema,
  listMessagesQuerySchema,
  messagePageSchema,
  messageResponseSchema,
  sendMessageBodySchema,
  ticketParamsSchema,
  ticketResponseSchema,
} from '../../../contracts/tickets.ts';
import { langFromAcceptLanguage } from '../../i18n.ts';
import { getTicket } from './authorize-ticket.ts';
import { createTicket } from './create-ticket.ts';
import { listCustomerMessages } from './list-messages.ts';
import { rateTicket } from './rate-ticket.ts';
import { sendCustomerMessage } from './send-customer-message.ts';
import { bearerToken } from './ticket-token.ts';

/** The customer's API: a ticket and its conversation, opened with the ticket's token (Authorization: Bearer). */
export const customerTicketRoutes: FastifyPluginAsyncZod = async (app) => {
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
      const { ticket, ...page } = await listCustomerMessages({
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
        attachmentIds: request.body.attachmentIds,
      });
      return reply.status(created ? 201 : 200).send({ message });
    },
  );

  app.post(
    '/api/tickets/:id/rating',
    {
      schema: {
        params: ticketParamsSchema,
        body: ratingBodySchema,
        response: { 201: ratingResponseSchema, '4xx': errorBodySchema },
      },
    },
    async (request, reply) => {
      const rating = await rateTicket({
        db: app.db,
        ticketId: request.params.id,
        token: bearerToken(request.headers.authorization),
        rating: request.body,
      });
      return reply.status(201).send({ rating });
    },
  );
};
