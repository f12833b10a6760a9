import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LANGS, langSchema, type Lang } from '../../../contracts/common.ts';
import { errorBodySchema } from '../../../contracts/errors.ts';
import {
  accessRecordQuerySchema,
  accessRecordResponseSchema,
  legalHoldBodySchema,
  legalHoldResponseSchema,
  privacyConfirmBodySchema,
  privacyEraseBodySchema,
  privacyEraseResponseSchema,
  privacyExportBodySchema,
  privacyExportSchema,
  privacyRequestAcceptedSchema,
  privacyRequestBodySchema,
  privacySettingsSchema,
} from '../../../contracts/privacy.ts';
import { langFromAcceptLanguage } from '../../i18n.ts';
import { currentAgent, requireAdmin } from '../agents/index.ts';
import { createAttachmentStore } from '../attachments/index.ts';
import { accessRecordHook, listAccess } from './access-record.ts';
import { confirmPrivacyRequest } from './confirm-privacy-request.ts';
import { erasePersonalData } from './erase-personal-data.ts';
import { exportPersonalData } from './export-personal-data.ts';
import { acceptedPage, CONFIRM_SCRIPT, confirmPage, erasedPage, privacyPage } from './privacy-pages.ts';
import { REQUEST_LINK_HOURS, requestPrivacyAction } from './request-privacy.ts';
import { setTicketLegalHold } from './set-legal-hold.ts';

const FORM = 'application/x-www-form-urlencoded';
const FORM_MAX_BYTES = 2048;
const isForm = (request: FastifyRequest) => (request.headers['content-type'] ?? '').startsWith(FORM);
const agentActor = (request: FastifyRequest) => {
  const agent = currentAgent(request);
  return { kind: 'agent' as const, id: agent.id, email: agent.email };
};
const pageLang = (request: FastifyRequest, lang: unknown): Lang =>
  typeof lang === 'string' && (LANGS as readonly string[]).includes(lang) ? (lang as Lang) : langFromAcceptLanguage(request.headers['accept-language']);
const exportFileName = () => `privacy-export-${new Date().toISOString().slice(0, 10)}.json`;

/** The admins' side (docs/privacy.md): export, erase, legal hold, the access record, the retention settings. */
const adminPrivacyRoutes: FastifyPluginAsyncZod = async (app) => {
  const store = createAttachmentStore(app.config.attachmentStorage);
  const fail = { '4xx': errorBodySchema };

  app.post(
    '/api/agent/privacy/export',
    { onRequest: requireAdmin, schema: { body: privacyExportBodySchema, response: { 200: privacyExportSchema, ...fail } } },
    async (request, reply) => {
    const document = await exportPersonalData({ db: app.db, store, email: request.body.email, includeNotes: request.body.includeNotes, actor: agentActor(request) });
    return reply.header('content-disposition', `attachment; filename="${exportFileName()}"`).header('cache-control', 'no-store').send(document);
    },
  );

  app.post(
    '/api/agent/privacy/erase',
    { onRequest: requireAdmin, schema: { body: privacyEraseBodySchema, response: { 200: privacyEraseResponseSchema, ...fail } } },
    async (request) => ({ erased: await erasePersonalData({ db: app.db, store, email: request.body.email, actor: agentActor(request) }) }),
  );

  app.put(
    '/api/agent/privacy/legal-hold',
    { onRequest: requireAdmin, schema: { body: legalHoldBodySchema, response: { 200: legalHoldResponseSchema, ...fail } } },
    async (request) => setTicketLegalHold({ db: app.db, ticketId: request.body.ticketId, hold: request.body.hold, actor: agentActor(request) }),
  );

  app.get(
    '/api/agent/privacy/access-record',
    { onRequest: requireAdmin, schema: { querystring: accessRecordQuerySchema, response: { 200: accessRecordResponseSchema, ...fail } } },
    async (request) => listAccess({ db: app.db, email: request.query.email, limit: request.query.limit }),
  );

  app.get('/api/agent/privacy/settings', { onRequest: requireAdmin, schema: { response: { 200: privacySettingsSchema, ...fail } } }, async () => ({
    closedTicketsDays: app.config.closedTicketsRetentionDays,
    botThreadsDays: app.config.botThreadsRetentionDays,
    sentEmailsDays: app.config.sentEmailsRetentionDays,
    errorLogsDays: app.config.errorLogsRetentionDays,
    clientMetricsDays: app.config.clientMetricsRetentionDays,
    accessRecordDays: app.config.accessRecordRetentionDays,
    requestLinkHours: REQUEST_LINK_HOURS,
    privacyUrl: app.config.privacyUrl ?? null,
  }));
};

/**
 * The customers' side: the privacy page (or a redirect to PRIVACY_URL), requests (JSON from the API, or
 * the page's form), and the e-mailed link's confirmation. Forms are parsed here only.
 */
const customerPrivacyRoutes: FastifyPluginAsyncZod = async (app) => {
  const store = createAttachmentStore(app.config.attachmentStorage);
  app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: FORM_MAX_BYTES }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.get('/privacy', { schema: { querystring: z.strictObject({ lang: langSchema.optional() }) } }, async (request, reply) => {
    if (app.config.privacyUrl) return reply.redirect(app.config.privacyUrl, 302);
    return reply.type('text/html; charset=utf-8').send(privacyPage(pageLang(request, request.query.lang), app.config));
  });

  app.get('/privacy/confirm', { schema: { querystring: z.strictObject({ lang: langSchema.optional() }) } }, async (request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send(confirmPage(pageLang(request, request.query.lang))),
  );
  app.get('/privacy/confirm.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(CONFIRM_SCRIPT));

  app.post(
    '/api/privacy/requests',
    // No response schema: the page's form gets a page, the API its 202 JSON (privacyRequestAcceptedSchema).
    { schema: { body: privacyRequestBodySchema } },
    async (request, reply) => {
      await requestPrivacyAction({ db: app.db, email: request.body.email, kind: request.body.kind, lang: request.body.lang });
      if (isForm(request)) return reply.code(202).type('text/html; charset=utf-8').send(acceptedPage(pageLang(request, request.body.lang)));
      return reply.code(202).send(privacyRequestAcceptedSchema.parse({ accepted: true }));
    },
  );

  // No response schema: a document to download, a page, or `{erased}` (privacyEraseResponseSchema).
  app.post('/api/privacy/requests/confirm', { schema: { body: privacyConfirmBodySchema } }, async (request, reply) => {
    const done = await confirmPrivacyRequest({ db: app.db, store, token: request.body.token });
    reply.header('cache-control', 'no-store');
    if (done.kind === 'export') return reply.header('content-disposition', `attachment; filename="${exportFileName()}"`).send(done.document);
    if (isForm(request)) return reply.type('text/html; charset=utf-8').send(erasedPage(done.lang));
    return reply.send({ erased: done.erased });
  });
};

/**
 * Privacy (issue 21). Registered for the whole app (skip-override) only so that its access-record hook
 * sees the staff's ticket pages; its routes stay in their own encapsulated plugins.
 */
export const privacyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onResponse', accessRecordHook(app.db));
  await app.register(adminPrivacyRoutes);
  await app.register(customerPrivacyRoutes);
};
Object.assign(privacyRoutes, { [Symbol.for('skip-override')]: true });
