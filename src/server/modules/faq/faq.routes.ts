import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '../../../contracts/errors.ts';
import {
  adminFaqEntryResponseSchema,
  adminFaqListResponseSchema,
  faqEntryParamsSchema,
  faqListResponseSchema,
  faqQuerySchema,
  updateFaqEntryBodySchema,
} from '../../../contracts/faq.ts';
import { langFromAcceptLanguage } from '../../i18n.ts';
import { requireAdmin } from '../agents/index.ts';
import { getAdminFaq, getFaq, updateFaqEntry } from './faq.service.ts';

export const faqRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/faq',
    {
      schema: { querystring: faqQuerySchema, response: { 200: faqListResponseSchema, 304: z.null(), '4xx': errorBodySchema } },
    },
    async (request, reply) => {
      const lang = request.query.lang ?? langFromAcceptLanguage(request.headers['accept-language']);
      request.lang = lang;
      const faq = await getFaq({ db: app.db, lang });
      const etag = `"faq-${lang}-${faq.version}"`;
      // Revalidated on every chat opening, so an admin's edit reaches widgets without a stale cache.
      reply.header('etag', etag).header('cache-control', 'no-cache').header('vary', 'Accept-Language');
      if (request.headers['if-none-match'] === etag) return reply.status(304).send(null);
      return faq;
    },
  );

  app.get(
    '/api/agent/faq',
    { onRequest: requireAdmin, schema: { response: { 200: adminFaqListResponseSchema, '4xx': errorBodySchema } } },
    async () => getAdminFaq({ db: app.db }),
  );

  app.put(
    '/api/agent/faq/:key/:lang',
    {
      onRequest: requireAdmin,
      schema: {
        params: faqEntryParamsSchema,
        body: updateFaqEntryBodySchema,
        response: { 200: adminFaqEntryResponseSchema, '4xx': errorBodySchema },
      },
    },
    async (request) => {
      const entry = await updateFaqEntry({ db: app.db, key: request.params.key, lang: request.params.lang, input: request.body });
      return { entry };
    },
  );
};
