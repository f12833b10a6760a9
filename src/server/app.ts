import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { Db } from './db/index.ts';
import { answerRouterError, registerErrorHandler } from './http/error-handler.ts';
import { registerSecurity } from './http/security.ts';
import { strictQueryStrings } from './http/strict-query.ts';
import { prometheusPlugin } from './modules/monitoring/prometheus.ts';
import { attachmentsRoutes } from './modules/attachments/index.ts';
import { adminRoutes } from './modules/agents/admin.routes.ts';
import { authRoutes } from './modules/agents/auth.routes.ts';
import { agentTicketRoutes, authorizeTicket, bearerToken, customerTicketRoutes, findTicketById, lockTicket } from './modules/tickets/index.ts';
import { analyticsRoutes } from './modules/analytics/analytics.routes.ts';
import { medianFirstResponseSeconds } from './modules/analytics/index.ts';
import { emailDebugRoutes } from './modules/email/email.routes.ts';
import { inboundEmailRoutes, type InboundEmailRoutesOptions } from './modules/inbound-email/index.ts';
import { debugRoutes } from './modules/debug/debug.routes.ts';
import { botRoutes } from './modules/bot/bot.routes.ts';
import { learningRoutes } from './modules/bot/learning/learning.routes.ts';
import { chatRoutes } from './modules/chat/index.ts';
import { cannedRepliesRoutes } from './modules/canned-replies/index.ts';
import { faqRoutes } from './modules/faq/faq.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { metricsRoutes } from './modules/metrics/metrics.routes.ts';
import { ordersRoutes } from './modules/orders/orders.routes.ts';
import { locationsRoutes } from './modules/locations/index.ts';
import { webRoutes } from './modules/web/web.routes.ts';
import { backupRoutes } from './modules/backup/backup.routes.ts';
import { privacyRoutes } from './modules/privacy/index.ts';
import { recordUnexpectedError } from './modules/errors/errors.service.ts';
import { clientErrorsRoutes } from './modules/errors/errors.routes.ts';
import { createSentryReporter, type ErrorReporter } from './modules/errors/sentry.ts';
import { realtimeRoutes, type RealtimeOptions } from './modules/realtime/realtime.routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    config: Config;
    /** Sentry, when SENTRY_DSN is set; null otherwise. */
    errorReporter: ErrorReporter | null;
  }
}

export const BODY_LIMIT_BYTES = 64 * 1024;

export type BuildAppOptions = {
  db: Db;
  config: Config;
  /** The process logger (pino); tests run without one. */
  logger?: FastifyBaseLogger;
  /** Realtime tuning, and its test seam (resolveAgent). */
  realtime?: RealtimeOptions;
  /** Inbound e-mail's test seam (a DNS resolver for SPF/DKIM/DMARC). */
  inboundEmail?: InboundEmailRoutesOptions;
};

/** A hop count becomes "trust the first n proxies"; addresses and CIDRs are passed as they are. */
function trustProxyOption(value: Config['trustProxy']) {
  return typeof value === 'number' ? (_address: string, hop: number) => hop < value : value;
}

/** Builds the whole application (plugins, then modules) without listening: tests build the same app. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    routerOptions: { maxParamLength: 200 },
    // A URL the router cannot read gets the contract's error and headers, not Fastify's own answer.
    frameworkErrors: answerRouterError,
    trustProxy: trustProxyOption(options.config.trustProxy),
    // While stopping, a request that still arrives on a kept-alive connection (a proxy reusing it) is
    // served, with `Connection: close`, instead of Fastify's bare 503: a proxy does not pass a POST on
    // to another instance, and that 503 is not in the API's error shape.
    return503OnClosing: false,
    // Fastify's default (10 s for one plugin to register) stopped a restart on a machine at load 35
    // ("Plugin did not start in time: '@fastify/cookie'", bench/startup.bench.ts): a slow start is not a hung one.
    pluginTimeout: 120_000,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  strictQueryStrings(app);
  app.decorate('db', options.db);
  app.decorate('config', options.config);
  const errorReporter = options.config.sentryDsn
    ? await createSentryReporter({
        dsn: options.config.sentryDsn,
        environment: options.config.sentryEnvironment,
        release: options.config.release,
        logger: options.logger,
      })
    : null;
  app.decorate('errorReporter', errorReporter);
  if (errorReporter) app.addHook('onClose', () => errorReporter.close());
  registerErrorHandler(app, (err, request) => {
    const context = { requestId: request.id, method: request.method, route: request.routeOptions.url };
    void recordUnexpectedError({ db: options.db, reporter: errorReporter, err, context })
      .catch((e) => request.log.warn({ err: e }, 'could not record error'));
  });

  // Once a stop begins, every answer closes its connection: a kept-alive one that was busy at that moment
  // would otherwise stay open (keepAliveTimeout, 72 s) and hold the shutdown past its 15 s limit.
  let stopping = false;
  app.addHook('preClose', async () => {
    stopping = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (stopping) reply.header('connection', 'close');
  });

  await app.register(prometheusPlugin);
  const closeSecurity = await registerSecurity(app, options.config);
  app.addHook('onClose', closeSecurity);
  // reply.setCookie for the agents' session cookie (modules/agents); request.cookies for whoever needs it.
  await app.register(fastifyCookie);
  await app.register(healthRoutes);
  await app.register(customerTicketRoutes);
  await app.register(faqRoutes);
  await app.register(botRoutes);
  await app.register(learningRoutes);
  // The first responses' median, handed to the chat (analytics imports chat, not the other way).
  await app.register(chatRoutes, { medianFirstResponse: medianFirstResponseSeconds });
  await app.register(metricsRoutes);
  await app.register(clientErrorsRoutes);
  await app.register(authRoutes);
  await app.register(adminRoutes);
  await app.register(agentTicketRoutes);
  await app.register(cannedRepliesRoutes);
  await app.register(analyticsRoutes);
  await app.register(emailDebugRoutes);
  await app.register(inboundEmailRoutes, options.inboundEmail ?? {});
  await app.register(debugRoutes);
  await app.register(ordersRoutes);
  await app.register(locationsRoutes);
  // The conversation's checks, handed to attachments (tickets imports attachments, not the other way).
  await app.register(attachmentsRoutes, { tickets: { authorizeTicket, findTicketById, lockTicket, bearerToken } });
  await app.register(backupRoutes);
  // Export, erasure, customers' requests, the access record (and its hook on the staff's ticket pages).
  await app.register(privacyRoutes);
  await app.register(webRoutes);
  // Last: its registration waits for the database (the hub's LISTEN, the team's setting), and at a start
  // the embedded database is still opening: every plugin before it registers meanwhile (main.ts).
  await app.register(realtimeRoutes, options.realtime ?? {});

  return app;
}
