import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { openDb } from './db/index.ts';
import { migrate, readFunctions, readMigrations } from './db/migrate.ts';
import { createLogger } from './logger.ts';
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
import { useBotModel } from './modules/bot/bot-model.ts';
import { readBotModelFile } from './modules/bot/bot-model-file.ts';

/** Reads the configuration, opens and migrates the database, serves, and shuts down gracefully. */
async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // The model the build trained (seconds of training saved) and the migrations, read while the database opens.
  const [db, botModel, migrations, functions] = await Promise.all([
    openDb({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      onError: (err) => logger.warn({ err }, 'database connection error'),
    }),
    readBotModelFile(),
    readMigrations(),
    readFunctions(),
  ]);
  if (botModel) useBotModel(botModel);
  else logger.info('no built chatbot model for these sources: training it (npm run build stores one)');
  const applied = await migrate(db, migrations, functions);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  await ensureFirstAdmin({ db, config, logger });
  // The FAQ is product content, not demo data: every new database gets it.
  const faqSeeded = await seedFaq(db);
  if (faqSeeded) logger.info({ entries: faqSeeded }, 'FAQ loaded on the new database');
  if (config.demoData) {
    const seeded = await seedDemoData(db);
    if (seeded) logger.info('demo data loaded on the new database');
    if (await seedDemoOrders(db)) logger.info('demo orders loaded on the new database');
    if (await seedDemoLocations(db)) logger.info('demo restaurants loaded on the new database');
  }

  const app = await buildApp({ db, config, logger });
  const recordError = async (err: unknown, task: string) => {
    await recordBackgroundError({ db, reporter: app.errorReporter, err, task });
    await app.errorReporter?.close(2000);
  };
  exitOnCrash({ source: process, logger, record: recordError, exit: (code) => process.exit(code) });
  await app.listen({ port: config.port, host: config.host });
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
  logger.info(
    { url: `http://${config.host}:${config.port}`, database: db.kind === 'postgres' ? 'postgres' : `pglite:${config.dataDir}` },
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

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
