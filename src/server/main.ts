import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { openEarly } from './db/open-early.ts';
import type { StartupMarks } from './serve.ts';

/**
 * Reads the configuration, opens and migrates the database, serves, and shuts down gracefully.
 *
 * Only what opening the embedded database needs is imported up front, and its thread starts first: the
 * configuration, the logger and the rest of the server (serve.ts: the app, its modules and their packages)
 * load, and the app is built, while the database opens, the two overlapping instead of adding up
 * (bench/startup.bench.ts). The ready log line gives when each step ended (`startup`, ms since the
 * process started).
 */
async function main() {
  // V8 compiles PGlite's WebAssembly (tens of megabytes) on as many background tasks as its pool has
  // threads (Node's default: 4, whatever the machine). During a start, that took the cores from the two
  // threads that matter, the event loop and the database's: a restart on two cores took 1.4–1.5 s, and
  // 0.9–1.0 s with one compilation task (docs/operations.md). One core is left to each of those threads.
  setFlagsFromString(`--wasm-num-compilation-tasks=${Math.max(1, availableParallelism() - 2)}`);
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
  if (early && !earlyDb) void early.db.then((db) => db.close(), () => {});
  const marks: StartupMarks = { configMs: Math.round(performance.now()) };
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
