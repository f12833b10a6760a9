import type { Logger } from 'pino';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import type { Db } from './db/index.ts';
import { seedDemoData } from './seed/demo-data.ts';
import { seedFaq } from './modules/faq/faq.service.ts';
import { ensureFirstAdmin } from './modules/agents/first-admin.ts';
import { startEscalationScheduler } from './modules/tickets/index.ts';
import { startRetentionJob } from './modules/metrics/retention.ts';
import { seedDemoOrders } from './modules/orders/demo-orders.ts';
import { seedDemoLocations } from './modules/locations/index.ts';
import { serverBusySignal } from './modules/email/email-throttle.ts';
import { startEmailDelivery } from './modules/email/email-worker.ts';
import { emailAttachments, inboundSettings, startInboundSmtp } from './modules/inbound-email/index.ts';
import { stopOnSignals } from './shutdown.ts';
import { exitOnCrash, recordBackgroundError } from './modules/errors/errors.service.ts';
import { toAppError } from './http/error-handler.ts';
import { getBotModel, useStoredBotModel } from './modules/bot/bot-model.ts';
import { readStoredBotModel } from './modules/bot/bot-model-file.ts';

const BOT_MODEL_WARM_UP_MS = 1000;

/** The first admin, the FAQ (product content: every new database gets it) and, with DEMO_DATA, the demo data. */
async function seed({ db, config, logger }: { db: Db; config: Config; logger: Logger }): Promise<void> {
  await ensureFirstAdmin({ db, config, logger });
  const faqSeeded = await seedFaq(db);
  if (faqSeeded) logger.info({ entries: faqSeeded }, 'FAQ loaded on the new database');
  if (config.demoData) {
    const seeded = await seedDemoData(db);
    if (seeded) logger.info('demo data loaded on the new database');
    if (await seedDemoOrders(db)) logger.info('demo orders loaded on the new database');
    if (await seedDemoLocations(db)) logger.info('demo restaurants loaded on the new database');
  }
}

/** Milliseconds since the process started (performance.now()) at which each step of the start ended. */
export type StartupMarks = Record<string, number>;

/**
 * Everything a start does besides opening the database: the app (built while the database opens), then,
 * once it is open and migrated, the first admin and the seeds, the chatbot model, listening, the background
 * jobs, and the graceful stop. main.ts imports this module while the database opens (its packages load
 * meanwhile).
 */
export async function serve({
  db,
  ready,
  config,
  logger,
  marks,
}: {
  db: Db;
  /** Resolves once the database is open and migrated (db's statements wait for it meanwhile). */
  ready: Promise<Db>;
  config: Config;
  logger: Logger;
  marks: StartupMarks;
}): Promise<void> {
  const mark = (step: string) => (marks[step] = Math.round(performance.now()));
  // The model the build trained (seconds of training saved): only its fingerprint is checked here, it is
  // decoded at its first use (modules/bot/bot-model.ts). Installed before the app is built: the bot's
  // plugin trains one when there is none.
  const stored = await readStoredBotModel();
  if (stored) useStoredBotModel(stored);
  else logger.info('no built chatbot model for these sources: training it (npm run build stores one)');
  mark('botModelMs');
  // Built while the database may still be opening: the app's first statement waits for it. The first admin
  // and the seeds are checked as soon as it is open and migrated, beside the app's last registrations
  // (their statements go out together instead of one after the other).
  const building = buildApp({ db, config, logger });
  const seeding = ready.then(() => seed({ db, config, logger }));
  // Both are awaited below: a failure of one must not go unhandled while the other is awaited.
  building.catch(() => {});
  seeding.catch(() => {});
  const app = await building;
  mark('appBuiltMs');
  await seeding;
  mark('seedsCheckedMs');
  const recordError = async (err: unknown, task: string) => {
    await recordBackgroundError({ db, reporter: app.errorReporter, err, task });
    await app.errorReporter?.close(2000);
  };
  exitOnCrash({ source: process, logger, record: recordError, exit: (code) => process.exit(code) });
  await app.listen({ port: config.port, host: config.host });
  mark('listeningMs');
  const escalation = startEscalationScheduler({
    db,
    windows: config.escalationAfterMinutes,
    intervalSeconds: config.escalationIntervalSeconds,
    logger,
    // A pass that fails for another reason than an unreachable database is a bug: keep it like a 500.
    onError: (err) => {
      if (toAppError(err).code === 'internal') {
        void recordBackgroundError({ db, reporter: app.errorReporter, err, task: 'escalation' }).catch(() => {});
      }
    },
  });
  // Client metrics and error logs past their retention period (one instance at a time does it).
  const retention = startRetentionJob({ db, config, logger });
  // EMAIL_WORKER=off when separate `npm run worker` processes deliver the outbox.
  // The worker shares this process with the API: it yields while requests are in flight (email-throttle.ts).
  const email = config.emailWorker ? await startEmailDelivery({ db, config, logger, throttle: { signal: serverBusySignal(app.server) } }) : null;
  if (email) app.observeEmailWorker(email.worker);
  // Customers' e-mail replies (INBOUND_SMTP_PORT; the webhook needs no listener of its own).
  const inboundSmtp =
    config.inboundSmtpPort === undefined
      ? null
      : await startInboundSmtp({
          db,
          port: config.inboundSmtpPort,
          host: config.inboundSmtpHost,
          maxBytes: config.inboundEmailMaxBytes,
          settings: inboundSettings(config),
          domains: [config.replyDomain, config.supportAddress.slice(config.supportAddress.lastIndexOf('@') + 1)],
          tls: config.inboundSmtpTls,
          attachments: emailAttachments(config),
          logger,
        });
  // The stored chatbot model is decoded at its first use; if nothing used it yet, a second after the start.
  if (stored) setTimeout(() => getBotModel(), BOT_MODEL_WARM_UP_MS).unref();
  logger.info(
    { url: `http://${config.host}:${config.port}`, database: db.kind === 'postgres' ? 'postgres' : `pglite:${config.dataDir}`, startup: marks },
    'Tasty Food Support is ready',
  );

  stopOnSignals(logger, 'server', async () => {
    await app.close();
    await inboundSmtp?.close();
    await escalation.stop();
    await retention.stop();
    await email?.stop();
    await db.close();
  });
}
