import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  cannedReplyListSchema,
  cannedReplyParamsSchema,
  cannedReplyQuerySchema,
  cannedReplyResponseSchema,
  createCannedReplyBodySchema,
  updateCannedReplyBodySchema,
} from '../../../contracts/agents.ts';
import { errorBodySchema } from '../../../contracts/errors.ts';
import { AppError } from '../../http/app-error.ts';
import { requireAdmin, requireAgent } from '../agents/index.ts';
import { deleteCannedReply, insertCannedReply, listCannedReplies, updateCannedReply } from './canned-replies.repo.ts';

const duplicate = () => new AppError('conflict', { internal: 'this shortcut already exists in this language', details: { field: 'shortcut' } });

/** The team's canned replies: every agent reads them, admins write them (403 for agents). */
export const cannedRepliesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.get(
    '/api/agent/canned-replies',
    { onRequest: requireAgent, schema: { querystring: cannedReplyQuerySchema, response: { 200: cannedReplyListSchema, '4xx': errorBodySchema } } },
    async (request) => ({ replies: await listCannedReplies(app.db, request.query.lang) }),
  );

  app.post(
    '/api/agent/canned-replies',
    { onRequest: requireAdmin, schema: { body: createCannedReplyBodySchema, response: { 201: cannedReplyResponseSchema, '4xx': errorBodySchema } } },
    async (request, reply) => {
      const created = await insertCannedReply(app.db, request.body);
      if (created === 'duplicate') throw duplicate();
      return reply.status(201).send({ reply: created });
    },
  );

  app.patch(
    '/api/agent/canned-replies/:id',
    {
      onRequest: requireAdmin,
      schema: {
        params: cannedReplyParamsSchema,
        body: updateCannedReplyBodySchema,
        response: { 200: cannedReplyResponseSchema, '4xx': errorBodySchema },
      },
    },
    async (request) => {
      const updated = await updateCannedReply(app.db, request.params.id, request.body);
      if (updated === 'duplicate') throw duplicate();
      if (!updated) throw new AppError('not_found');
      return { reply: updated };
    },
  );

  app.delete(
    '/api/agent/canned-replies/:id',
    { onRequest: requireAdmin, schema: { params: cannedReplyParamsSchema, response: { 204: z.null(), '4xx': errorBodySchema } } },
    async (request, reply) => {
      if (!(await deleteCannedReply(app.db, request.params.id))) throw new AppError('not_found');
      return reply.status(204).send(null);
    },
  );
};
