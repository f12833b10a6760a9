import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  agentMessagePageSchema,
  agentMessageResponseSchema,
  agentReplyBodySchema,
  agentTicketDetailSchema,
  agentTicketResponseSchema,
  analyticsQuerySchema,
  customerPanelSchema,
  mergeTicketsBodySchema,
  mergeTicketsResponseSchema,
  noteBodySchema,
  noteResponseSchema,
  ticketQueueQuerySchema,
  ticketQueueResponseSchema,
  updateTicketBodySchema,
} from '../../../contracts/agents.ts';
import { suggestionsResponseSchema } from '../../../contracts/bot.ts';
import { errorBodySchema } from '../../../contracts/errors.ts';
import { listMessagesQuerySchema, ticketParamsSchema } from '../../../contracts/tickets.ts';
import { AppError } from '../../http/app-error.ts';
import { currentAgent, requireAgent } from '../agents/index.ts';
import { addNote } from './add-note.ts';
import { getAgentTicket } from './get-agent-ticket.ts';
import { getCustomerPanel } from './get-customer-panel.ts';
import { mergeTickets } from './merge-tickets.ts';
import { getTicketSuggestions } from './get-ticket-suggestions.ts';
import { listAgentMessages } from './list-messages.ts';
import { listTicketQueue } from './list-ticket-queue.ts';
import { replyAsAgent } from './reply-as-agent.ts';
import { exportTicketsCsv } from './tickets-csv.ts';
import { updateTicket } from './update-ticket.ts';

/** The agents' ticket API (session cookie; 401 without one, 403 for a change from another site). */
export const agentTicketRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', requireAgent);
  // Tickets hold customers' personal data: no shared cache keeps a copy.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.get(
    '/api/agent/tickets',
    { schema: { querystring: ticketQueueQuerySchema, response: { 200: ticketQueueResponseSchema, '4xx': errorBodySchema } } },
    async (request) => listTicketQueue({ db: app.db, agentId: currentAgent(request).id, query: request.query }),
  );

  app.get(
    '/api/agent/tickets.csv',
    { schema: { querystring: analyticsQuerySchema, response: { 200: z.string(), '4xx': errorBodySchema } } },
    async (request, reply) => {
      const csv = await exportTicketsCsv({ db: app.db, query: request.query });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="tickets.csv"')
        .send(csv);
    },
  );

  app.get(
    '/api/agent/tickets/:id',
    { schema: { params: ticketParamsSchema, response: { 200: agentTicketDetailSchema, '4xx': errorBodySchema } } },
    async (request) => getAgentTicket({ db: app.db, ticketId: request.params.id }),
  );

  app.get(
    '/api/agent/tickets/:id/messages',
    {
      schema: {
        params: ticketParamsSchema,
        querystring: listMessagesQuerySchema,
        response: { 200: agentMessagePageSchema, '4xx': errorBodySchema },
      },
    },
    async (request) =>
      listAgentMessages({ db: app.db, ticketId: request.params.id, limit: request.query.limit, cursor: request.query.cursor }),
  );

  app.get(
    '/api/agent/tickets/:id/suggestions',
    { schema: { params: ticketParamsSchema, response: { 200: suggestionsResponseSchema, '4xx': errorBodySchema } } },
    async (request) => ({ suggestions: await getTicketSuggestions({ db: app.db, ticketId: request.params.id }) }),
  );

  app.patch(
    '/api/agent/tickets/:id',
    {
      schema: {
        params: ticketParamsSchema,
        body: updateTicketBodySchema,
        response: { 200: agentTicketResponseSchema, '4xx': errorBodySchema },
      },
    },
    async (request) => ({
      ticket: await updateTicket({
        db: app.db,
        agent: currentAgent(request),
        ticketId: request.params.id,
        changes: request.body,
      }),
    }),
  );

  app.post(
    '/api/agent/tickets/:id/messages',
    {
      schema: {
        params: ticketParamsSchema,
        body: agentReplyBodySchema,
        response: { 200: agentMessageResponseSchema, 201: agentMessageResponseSchema, '4xx': errorBodySchema },
      },
    },
    async (request, reply) => {
      const { message, created } = await replyAsAgent({
        db: app.db,
        agent: currentAgent(request),
        ticketId: request.params.id,
        body: request.body.body,
        clientId: request.body.clientId,
        attachmentIds: request.body.attachmentIds,
      });
      return reply.status(created ? 201 : 200).send({ message });
    },
  );

  app.post(
    '/api/agent/tickets/:id/notes',
    { schema: { params: ticketParamsSchema, body: noteBodySchema, response: { 201: noteResponseSchema, '4xx': errorBodySchema } } },
    async (request, reply) => {
      const note = await addNote({ db: app.db, agent: currentAgent(request), ticketId: request.params.id, body: request.body.body });
      return reply.status(201).send({ note });
    },
  );

  app.get(
    '/api/agent/tickets/:id/customer',
    { schema: { params: ticketParamsSchema, response: { 200: customerPanelSchema, '4xx': errorBodySchema } } },
    async (request) => getCustomerPanel({ db: app.db, ticketId: request.params.id }),
  );

  app.post(
    '/api/agent/tickets/:id/merge',
    {
      schema: {
        params: ticketParamsSchema,
        body: mergeTicketsBodySchema,
        response: { 200: mergeTicketsResponseSchema, '4xx': errorBodySchema },
      },
    },
    async (request) =>
      mergeTickets({ db: app.db, agent: currentAgent(request), keptId: request.params.id, mergedId: request.body.ticket_id }),
  );

  // Any other /api/agent/* path: 401 without a session like the rest, 404 with one.
  app.all('/api/agent/*', async () => {
    throw new AppError('not_found');
  });
};
