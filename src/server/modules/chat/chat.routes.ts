import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  chatAskBodySchema,
  chatAskResponseSchema,
  chatFeedbackBodySchema,
  chatHandoffQuerySchema,
  chatHandoffResponseSchema,
  chatThreadResponseSchema,
} from '../../../contracts/chat.ts';
import { errorBodySchema } from '../../../contracts/errors.ts';
import { langFromAcceptLanguage } from '../../i18n.ts';
import { askInThread } from './ask-in-thread.ts';
import { getHandoffWait, type MedianFirstResponse } from './get-handoff-wait.ts';
import { getThread } from './get-thread.ts';
import { recordFeedback } from './record-feedback.ts';

/** The token of `Authorization: Bearer <token>`, or null. */
function bearer(header: string | undefined): string | null {
  return /^Bearer\s+([A-Za-z0-9_-]{1,200})\s*$/i.exec(header ?? '')?.[1] ?? null;
}

export type ChatRoutesOptions = {
  /** The analytics module's median of first responses (analytics imports chat: handed in by the app). */
  medianFirstResponse: MedianFirstResponse;
};

/** The customer's chat with the bot, kept as one thread under a conversation token (docs/chatbot.md). */
export const chatRoutes: FastifyPluginAsyncZod<ChatRoutesOptions> = async (app, options) => {
  app.post(
    '/api/chat/ask',
    { schema: { body: chatAskBodySchema, response: { 200: chatAskResponseSchema, '4xx': errorBodySchema } } },
    async (request) => {
      const header = request.headers['accept-language'];
      const answer = await askInThread({
        db: app.db,
        text: request.body.text,
        uiLang: request.body.lang ?? (header ? langFromAcceptLanguage(header) : undefined),
        conversationToken: request.body.conversationToken,
      });
      request.lang = answer.lang;
      return answer;
    },
  );

  app.get(
    '/api/chat/thread',
    { schema: { response: { 200: chatThreadResponseSchema, '4xx': errorBodySchema } } },
    async (request) => getThread({ db: app.db, conversationToken: bearer(request.headers.authorization) }),
  );

  app.get(
    '/api/chat/handoff',
    { schema: { querystring: chatHandoffQuerySchema, response: { 200: chatHandoffResponseSchema, '4xx': errorBodySchema } } },
    async (request) => {
      const lang = request.query.lang ?? langFromAcceptLanguage(request.headers['accept-language']);
      request.lang = lang;
      return getHandoffWait({ db: app.db, lang, medianFirstResponse: options.medianFirstResponse });
    },
  );

  app.post(
    '/api/chat/feedback',
    { schema: { body: chatFeedbackBodySchema, response: { 204: z.null(), '4xx': errorBodySchema } } },
    async (request, reply) => {
      await recordFeedback({ db: app.db, input: request.body });
      return reply.status(204).send(null);
    },
  );
};
