import { loadConfig } from '../src/server/config.ts';
import { openDb } from '../src/server/db/index.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { createLogger } from '../src/server/logger.ts';
import { startEmailDelivery } from '../src/server/modules/email/email-worker.ts';
import { stopOnSignals } from '../src/server/shutdown.ts';

/**
 * `npm run worker`: delivers the e-mail outbox outside the web server, until SIGTERM/SIGINT. Any
 * number may run beside the servers (set EMAIL_WORKER=off on the servers to leave them the work).
 * DATABASE_SCHEMA picks a schema on the server (tests); EMAIL_WORKER_PAUSE_AFTER_CLAIM_MS is a
 * test hook that holds claimed e-mails before sending them, so a test can kill the process there.
 */
async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (!config.databaseUrl) {
    // The embedded database belongs to one process: the server delivers its e-mails itself.
    throw new Error('npm run worker needs DATABASE_URL (with the embedded database, the server runs the worker)');
  }
  const schema = process.env.DATABASE_SCHEMA;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error('DATABASE_SCHEMA must be a plain lower-case identifier');
  }
  const pauseAfterClaimMs = Number(process.env.EMAIL_WORKER_PAUSE_AFTER_CLAIM_MS ?? 0);
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    schema,
    onError: (err) => logger.warn({ err }, 'database connection error'),
  });
  await migrate(db);
  const delivery = await startEmailDelivery({ db, config, logger, pauseAfterClaimMs });

  stopOnSignals(logger, 'e-mail worker', async () => {
    await delivery.stop();
    await db.close();
  });
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
