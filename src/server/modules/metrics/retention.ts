import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/index.ts';
import { purgeErrorLogs } from '../errors/index.ts';
import { purgeBotThreads } from '../chat/index.ts';
import { createAttachmentStore, type AttachmentStore } from '../attachments/index.ts';
import { anonymiseClosedTickets, purgeAccessRecord, purgeExpiredPrivacyRequests, purgeSentEmails } from '../privacy/index.ts';
import type { Config } from '../../config.ts';
import { purgeClientMetrics } from './metrics.service.ts';

/** Rows deleted per statement: short statements, so the tables stay writable while a big backlog goes. */
export const RETENTION_BATCH_ROWS = 1000;
/** How often each instance tries a pass (only one at a time does it); the first one runs soon after start. */
export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;
const FIRST_PASS_DELAY_MS = 60 * 1000;
/** The advisory lock that lets one runner at a time purge (any constant; not used elsewhere). */
const RETENTION_LOCK_KEY = 'tf-retention';
const DAY_MS = 24 * 60 * 60 * 1000;

export type RetentionResult =
  | { ran: false }
  | {
      ran: true;
      clientMetrics: number;
      errorLogs: number;
      botThreads?: number;
      /** Privacy (issue 21, docs/privacy.md): tickets anonymised, e-mails, access-record lines and expired requests deleted. */
      closedTickets?: number;
      sentEmails?: number;
      accessRecord?: number;
      privacyRequests?: number;
    };

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
 * (issue 15); and (issue 21, docs/privacy.md) anonymises resolved and closed tickets untouched for
 * `closedTicketsDays`, deletes e-mails that left `sentEmailsDays` ago, access-record lines older than
 * `accessRecordDays` and expired privacy requests; in batches, unless another runner (instance) is
 * already at it. A period not given is left alone.
 * `whileLocked` is a test seam: awaited once the lock is held, before deleting.
 */
export async function runRetentionOnce(options: {
  db: Db;
  clientMetricsDays: number;
  errorLogsDays: number;
  /** Chat threads that never became a ticket, idle this many days (issue 15); left alone when not given. */
  botThreadsDays?: number;
  closedTicketsDays?: number;
  sentEmailsDays?: number;
  accessRecordDays?: number;
  /** Where anonymised tickets' files are removed from (an external store); the database's own go with the rows. */
  attachmentStore?: AttachmentStore;
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
    const before = (days: number | undefined) => (days === undefined ? null : new Date(now - days * DAY_MS));
    const threadsBefore = before(options.botThreadsDays);
    const ticketsBefore = before(options.closedTicketsDays);
    const emailsBefore = before(options.sentEmailsDays);
    const recordBefore = before(options.accessRecordDays);
    return {
      ran: true as const,
      clientMetrics,
      errorLogs,
      ...(threadsBefore && { botThreads: await purgeBotThreads(options.db, threadsBefore, batch) }),
      ...(ticketsBefore && {
        closedTickets: await anonymiseClosedTickets({ db: options.db, store: options.attachmentStore, before: ticketsBefore, batchSize: batch }),
      }),
      ...(emailsBefore && { sentEmails: await purgeSentEmails(options.db, emailsBefore, batch) }),
      ...(recordBefore && {
        accessRecord: await purgeAccessRecord(options.db, recordBefore, batch),
        privacyRequests: await purgeExpiredPrivacyRequests(options.db, new Date(now), batch),
      }),
    };
  });
  return result ?? { ran: false };
}

/** Runs a pass a minute after start, then every RETENTION_INTERVAL_MS; `stop` waits for a pass in progress. */
export function startRetentionJob(options: {
  db: Db;
  config: Pick<
    Config,
    | 'clientMetricsRetentionDays'
    | 'errorLogsRetentionDays'
    | 'botThreadsRetentionDays'
    | 'closedTicketsRetentionDays'
    | 'sentEmailsRetentionDays'
    | 'accessRecordRetentionDays'
    | 'attachmentStorage'
  >;
  logger: FastifyBaseLogger;
}): { stop: () => Promise<void> } {
  let running: Promise<void> | null = null;
  const attachmentStore = createAttachmentStore(options.config.attachmentStorage);
  const pass = () => {
    if (running) return;
    running = runRetentionOnce({
      db: options.db,
      clientMetricsDays: options.config.clientMetricsRetentionDays,
      errorLogsDays: options.config.errorLogsRetentionDays,
      botThreadsDays: options.config.botThreadsRetentionDays,
      closedTicketsDays: options.config.closedTicketsRetentionDays,
      sentEmailsDays: options.config.sentEmailsRetentionDays,
      accessRecordDays: options.config.accessRecordRetentionDays,
      attachmentStore,
    })
      .then((r) => {
        if (!r.ran) return;
        const { ran: _ran, ...counts } = r;
        if (Object.values(counts).some((n) => n > 0)) options.logger.info(counts, 'retention: data past its period deleted or anonymised');
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
