import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  botModelStatusSchema,
  dismissBodySchema,
  dismissResponseSchema,
  teachBodySchema,
  teachResponseSchema,
  unansweredListResponseSchema,
  unansweredQuerySchema,
} from '../../../../contracts/bot-learning.ts';
import { errorBodySchema } from '../../../../contracts/errors.ts';
import { requireAdmin } from '../../agents/index.ts';
import { BotLearning } from './learned-model.ts';
import { dismissUnanswered, listUnanswered, purgeUnanswered, teachBot } from './learning.service.ts';

/** How often an instance deletes questions past their retention. */
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

export type LearningOptions = { learning?: boolean };

/**
 * The learning loop's admin side (docs/chatbot.md): the questions the bot could not answer, grouped,
 * and teaching one to the bot. Also starts this instance's BotLearning (loads the newest learned model,
 * follows the bus) once the server is ready, and the retention purge.
 */
export const learningRoutes: FastifyPluginAsyncZod<LearningOptions> = async (app, options) => {
  const learning = new BotLearning(app.db, app.log);
  let purgeTimer: NodeJS.Timeout | null = null;
  if (options.learning !== false) {
    app.addHook('onReady', async () => {
      await learning.start();
      purgeTimer = setInterval(() => {
        purgeUnanswered({ db: app.db }).catch((err: unknown) => app.log.warn({ err }, 'bot: purge of old unanswered questions failed'));
      }, PURGE_INTERVAL_MS);
      purgeTimer.unref();
    });
  }
  app.addHook('onClose', async () => {
    if (purgeTimer) clearInterval(purgeTimer);
    await learning.stop();
  });

  app.get(
    '/api/agent/bot/unanswered',
    { onRequest: requireAdmin, schema: { querystring: unansweredQuerySchema, response: { 200: unansweredListResponseSchema, '4xx': errorBodySchema } } },
    async (request) => listUnanswered({ db: app.db, days: request.query.days, learning }),
  );

  app.post(
    '/api/agent/bot/unanswered/teach',
    { onRequest: requireAdmin, schema: { body: teachBodySchema, response: { 200: teachResponseSchema, '4xx': errorBodySchema } } },
    async (request) => teachBot({ db: app.db, learning, input: request.body }),
  );

  app.post(
    '/api/agent/bot/unanswered/dismiss',
    { onRequest: requireAdmin, schema: { body: dismissBodySchema, response: { 200: dismissResponseSchema, '4xx': errorBodySchema } } },
    async (request) => dismissUnanswered({ db: app.db, ids: request.body.ids }),
  );

  app.get(
    '/api/agent/bot/model',
    { onRequest: requireAdmin, schema: { response: { 200: botModelStatusSchema, '4xx': errorBodySchema } } },
    async () => learning.status(),
  );
};
