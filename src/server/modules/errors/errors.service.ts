import type { ClientErrorReport } from '../../../contracts/client-errors.ts';
import type { Db } from '../../db/index.ts';
import { AddressQuota } from '../../http/address-quota.ts';
import { deleteErrorLogsBefore, recordClientError, recordServerError } from './errors.repo.ts';
import { pageAddress, redactText } from './redact.ts';
import type { ErrorReporter } from './sentry.ts';

const USER_AGENT_MAX_CHARS = 300;
/**
 * Error reports one client address may store per hour (per instance): a page sends at most 10 per load
 * (CLIENT_ERROR_LIMITS.perPage), so 50 covers a visitor hitting a bug on several pages; past it the
 * report is neither stored nor sent to Sentry (202 `{accepted: 0}`).
 */
export const CLIENT_ERRORS_PER_ADDRESS_PER_HOUR = 50;
/** The part of a browser's stack kept: its top frames say where it failed (the request may carry 8,000). */
export const CLIENT_STACK_STORED_MAX_CHARS = 4000;
const HOUR_MS = 60 * 60 * 1000;

/** The per-address quota of one app (one per process). */
export function clientErrorsQuota(): AddressQuota {
  return new AddressQuota(CLIENT_ERRORS_PER_ADDRESS_PER_HOUR, HOUR_MS);
}

/**
 * Stores a browser's error report in error_logs (source 'client') with its page, address (origin and
 * path only), user agent and release, every free text redacted; then forwards it to Sentry if set.
 * Past the client address's hourly quota, does neither; returns whether it was kept.
 */
export async function reportClientError(options: {
  db: Db;
  reporter: ErrorReporter | null;
  report: ClientErrorReport;
  userAgent: string | undefined;
  release: string;
  address: string;
  quota: AddressQuota;
}): Promise<boolean> {
  const { report } = options;
  if (options.quota.take(options.address, 1) === 0) return false;
  const error = {
    type: redactText(report.type?.trim() || 'Error'),
    message: redactText(report.message),
    stack: report.stack ? redactText(report.stack.slice(0, CLIENT_STACK_STORED_MAX_CHARS)) : null,
    context: {
      page: report.page,
      url: pageAddress(report.url),
      userAgent: redactText((options.userAgent ?? '').slice(0, USER_AGENT_MAX_CHARS)),
      release: options.release,
    },
  };
  await recordClientError(options.db, error);
  options.reporter?.captureClientError({ ...error, stack: error.stack ?? undefined });
  return true;
}

/** Deletes errors logged before `cutoff` (both sources), `batchSize` rows a statement; returns how many. */
export async function purgeErrorLogs(db: Db, cutoff: Date, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteErrorLogsBefore(db, cutoff, batchSize);
    total += deleted;
    if (deleted < batchSize) return total;
  }
}

/**
 * The central handler's sink for an unexpected error (a 500): kept in error_logs with the request's
 * context, message and stack redacted, and sent to Sentry when SENTRY_DSN is set (scrubbed again there).
 */
export async function recordUnexpectedError(options: {
  db: Db;
  reporter: ErrorReporter | null;
  err: unknown;
  context: { requestId: string; method: string; route: string | undefined };
}): Promise<void> {
  const { err, context } = options;
  options.reporter?.captureServerError(err, context);
  await recordRedactedServerError(options.db, err, { requestId: context.requestId, method: context.method, url: context.route });
}

/**
 * An unexpected error outside any request (a background task's, or the one crashing the process): kept
 * in error_logs with the task's name, redacted, and sent to Sentry when SENTRY_DSN is set.
 */
export async function recordBackgroundError(options: { db: Db; reporter: ErrorReporter | null; err: unknown; task: string }): Promise<void> {
  options.reporter?.captureBackgroundError(options.err, { task: options.task });
  await recordRedactedServerError(options.db, options.err, { task: options.task });
}

/** A server error kept in error_logs with its message and stack redacted (its name kept as is). */
async function recordRedactedServerError(db: Db, err: unknown, context: Record<string, unknown>): Promise<void> {
  const e = err instanceof Error ? err : new Error(String(err));
  const redacted = Object.assign(new Error(redactText(e.message)), { name: e.name, stack: e.stack ? redactText(e.stack) : undefined });
  await recordServerError(db, redacted, context);
}

type CrashSource = { on(event: 'uncaughtException' | 'unhandledRejection', listener: (err: unknown) => void): unknown };

/**
 * What an uncaught exception or unhandled rejection does to the server: logged as fatal, recorded like
 * any unexpected error (at most `recordTimeoutMs`, the database may be the cause), then the process exits
 * with 1 so that its supervisor starts a clean one. Node's default would exit without a trace in
 * error_logs or Sentry.
 */
export function exitOnCrash(options: {
  source: CrashSource;
  logger: { fatal: (obj: object, msg: string) => void };
  record: (err: unknown, task: string) => Promise<void>;
  exit: (code: number) => void;
  recordTimeoutMs?: number;
}): void {
  let crashing = false;
  const crash = (task: string) => (err: unknown) => {
    options.logger.fatal({ err }, `${task}: the process stops`);
    if (crashing) return;
    crashing = true;
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, options.recordTimeoutMs ?? 3000).unref());
    void Promise.race([options.record(err, task).catch(() => {}), timeout]).then(() => options.exit(1));
  };
  options.source.on('uncaughtException', crash('uncaughtException'));
  options.source.on('unhandledRejection', crash('unhandledRejection'));
}
