import type { ClientErrorReport } from '../../../contracts/client-errors.ts';
import type { Db } from '../../db/index.ts';
import { recordClientError, recordServerError } from './errors.repo.ts';
import { pageAddress, redactText } from './redact.ts';
import type { ErrorReporter } from './sentry.ts';

const USER_AGENT_MAX_CHARS = 300;

/**
 * Stores a browser's error report in error_logs (source 'client') with its page, address (origin and
 * path only), user agent and release, every free text redacted; then forwards it to Sentry if set.
 */
export async function reportClientError(options: {
  db: Db;
  reporter: ErrorReporter | null;
  report: ClientErrorReport;
  userAgent: string | undefined;
  release: string;
}): Promise<void> {
  const { report } = options;
  const error = {
    type: redactText(report.type?.trim() || 'Error'),
    message: redactText(report.message),
    stack: report.stack ? redactText(report.stack) : null,
    context: {
      page: report.page,
      url: pageAddress(report.url),
      userAgent: redactText((options.userAgent ?? '').slice(0, USER_AGENT_MAX_CHARS)),
      release: options.release,
    },
  };
  await recordClientError(options.db, error);
  options.reporter?.captureClientError({ ...error, stack: error.stack ?? undefined });
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
  const e = err instanceof Error ? err : new Error(String(err));
  const redacted = Object.assign(new Error(redactText(e.message)), { name: e.name, stack: e.stack ? redactText(e.stack) : undefined });
  await recordServerError(options.db, redacted, { requestId: context.requestId, method: context.method, url: context.route });
}
