import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/index.ts';
import { purgeErrorLogs } from '../errors/index.ts';
import { purgeBotThreads } from '../chat/index.ts';
import { purgeClientMetrics } from './metrics.service.ts';

/** Rows deleted per statement: short statements, so the tables stay writable while a big backlog goes. */
export const RETENTION_BATCH_ROWS = 1000;
/** How often each instance tries a pass (only one at a time does it); the first one runs soon after start. */
export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;
const FIRST_PASS_DELAY_MS = 60 * 1000;
/** The advisory lock that lets one runner at a time purge (any constant; not used elsewhere). */
const RETENTION_LOCK_KEY = 'tf-retention';
const DAY_MS = 24 * 60 * 60 * 1000;

export type RetentionResult = { ran: false } | { ran: true; clientMetrics: number; errorLogs: number; botThreads?: number };

// PGlite is one process's (its data folder opens once), so runners can only meet in this process.
const runningOnPglite = new WeakSet<Db>();

/**
 * Holds the retention lock while `fn` runs, or answers null at once when another runner has it. On a
 * PostgreSQL server: `pg_try_advisory_xact_lock` in a transaction kept open on one pooled connection
 * for the run, while the deletes commit batch by batch on others. On PGlite a transaction would stop
 * every other statement for the whole run (its mutex), and no other process can share the database:
 * the guard is this process's.
 */
async function withRetentionLock<T>(db: Db, fn: () => Promise<T>): Promise<T | null> {
  if (db.kind === 'pglite') {
    if (runningOnPglite.has(db)) return null;
    runningOnPglite.add(db);
    try {
      return await fn();
    } finally {
      runningOnPglite.delete(db);
    }
  }
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked`, [
      RETENTION_LOCK_KEY,
    ]);
    return rows[0]!.locked ? fn() : null;
  });
}

/**
 * One retention pass (issue 13): deletes client metrics older than `clientMetricsDays` and error logs
 * older than `errorLogsDays`, and chat threads that never became a ticket idle for `botThreadsDays`
 * (issue 15), in batches, unless another runner (instance) is already at it.
 * `whileLocked` is a test seam: awaited once the lock is held, before deleting.
 */
export async function runRetentionOnce(options: {
  db: Db;
  clientMetricsDays: number;
  errorLogsDays: number;
  /** Chat threads that never became a ticket, idle this many days (issue 15); left alone when not given. */
  botThreadsDays?: number;
  now?: Date;
  batchSize?: number;
  whileLocked?: () => Promise<void>;
}): Promise<RetentionResult> {
  const now = (options.now ?? new Date()).getTime();
  const batch = options.batchSize ?? RETENTION_BATCH_ROWS;
  const result = await withRetentionLock(options.db, async () => {
    await options.whileLocked?.();
    const clientMetrics = await purgeClientMetrics(options.db, new Date(now - options.clientMetricsDays * DAY_MS), batch);
    const errorLogs = await purgeErrorLogs(options.db, new Date(now - options.errorLogsDays * DAY_MS), batch);
    if (options.botThreadsDays === undefined) return { ran: true as const, clientMetrics, errorLogs };
    const botThreads = await purgeBotThreads(options.db, new Date(now - options.botThreadsDays * DAY_MS), batch);
    return { ran: true as const, clientMetrics, errorLogs, botThreads };
  });
  return result ?? { ran: false };
}

/** Runs a pass a minute after start, then every RETENTION_INTERVAL_MS; `stop` waits for a pass in progress. */
export function startRetentionJob(options: {
  db: Db;
  config: { clientMetricsRetentionDays: number; errorLogsRetentionDays: number; botThreadsRetentionDays: number };
  logger: FastifyBaseLogger;
}): { stop: () => Promise<void> } {
  let running: Promise<void> | null = null;
  const pass = () => {
    if (running) return;
    running = runRetentionOnce({
      db: options.db,
      clientMetricsDays: options.config.clientMetricsRetentionDays,
      errorLogsDays: options.config.errorLogsRetentionDays,
      botThreadsDays: options.config.botThreadsRetentionDays,
    })
      .then((r) => {
        if (r.ran && r.clientMetrics + r.errorLogs + (r.botThreads ?? 0) > 0) options.logger.info(r, 'old client metrics, error logs and chat threads deleted');
      })
      .catch((err) => options.logger.warn({ err }, 'retention pass failed; the next one retries'))
      .finally(() => {
        running = null;
      });
  };
  const first = setTimeout(pass, FIRST_PASS_DELAY_MS);
  const timer = setInterval(pass, RETENTION_INTERVAL_MS);
  first.unref();
  timer.unref();
  return {
    stop: async () => {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
