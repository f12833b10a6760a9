import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ratingBodySchema, ratingResponseSchema } from '../../../contracts/agents.ts';
import { errorBodySchema } from '../../../contracts/errors.ts';
import { ticketParamsSchema } from '../../../contracts/tickets.ts';
import { bearerToken } from '../tickets/ticket-token.ts';
import { rateTicket } from './ratings.service.ts';

export const ratingsRoutes: FastifyPluginAsyncZod = async (app) => {
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
