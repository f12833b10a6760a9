import { closeEarly, openEarly } from './db/open-early.ts';
import type { StartupMarks } from './serve.ts';

/**
 * Reads the configuration, opens and migrates the database, serves, and shuts down gracefully.
 *
 * Only what opening the embedded database needs is imported up front, and its thread starts first (under
 * `npm start`, scripts/start.mjs started it already, before its build check, and it is taken over here): the
 * configuration, the logger and the rest of the server (serve.ts: the app, its modules and their packages)
 * load, and the app is built, while the database opens, the two overlapping instead of adding up
 * (bench/startup.bench.ts). The ready log line gives when each step ended (`startup`, ms since the
 * process started).
 */
async function main() {
  const mainMs = Math.round(performance.now());
  // Like a crash of PGlite when it ran on this thread: exit, for the supervisor to restart the instance.
  let lost = (err: Error) => {
    process.stderr.write(`the embedded database stopped: ${err.message}\n`);
    process.exit(1);
  };
  const early = openEarly(process.env, (err) => lost(err));
  const [{ loadConfig }, { createLogger }, { openDb }, { DeferredDb }, { migrate, readFunctions, readMigrations }] = await Promise.all([
    import('./config.ts'),
    import('./logger.ts'),
    import('./db/index.ts'),
    import('./db/deferred.ts'),
    import('./db/migrate.ts'),
  ]);
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  lost = (err) => {
    logger.fatal({ err }, 'the embedded database stopped');
    process.exit(1);
  };
  // Opened from the environment before the configuration was read: kept if the configuration agrees.
  const earlyDb = early && !config.databaseUrl && early.dataDir === config.dataDir ? early.db : null;
  if (early && !earlyDb) void closeEarly();
  // When the database's thread started (before this module ran, under `npm start`), and when this ran.
  const marks: StartupMarks = { ...(earlyDb && { databaseThreadMs: Math.round(early!.startedMs) }), mainMs, configMs: Math.round(performance.now()) };
  const mark = (step: string) => (marks[step] = Math.round(performance.now()));
  const server = import('./serve.ts').then((m) => {
    mark('modulesLoadedMs');
    return m;
  });
  // Awaited below, after the database: a failure to load must not go unhandled meanwhile.
  server.catch(() => {});
  // The database opens (the embedded one on its own thread) and migrates while the app loads and is
  // built: the app gets a DeferredDb, whose first statement waits for the migrated database.
  const ready = (async () => {
    const [db, migrations, functions] = await Promise.all([
      earlyDb ??
        openDb({
          databaseUrl: config.databaseUrl,
          dataDir: config.dataDir,
          onError: (err) => logger.warn({ err }, 'database connection error'),
          onLost: (err) => lost(err),
        }),
      readMigrations(),
      readFunctions(),
    ]);
    mark('databaseOpenMs');
    const applied = await migrate(db, migrations, functions);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    mark('migratedMs');
    return db;
  })();
  // Awaited in serve(), once the app is built: a failure to open must not go unhandled meanwhile.
  ready.catch(() => {});
  const db = config.databaseUrl ? new DeferredDb(ready, 'postgres') : new DeferredDb(ready, 'pglite', config.dataDir);
  const { serve } = await server;
  await serve({ db, ready, config, logger, marks });
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
