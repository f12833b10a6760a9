import type { ErrorEvent, Event, Scope } from '@sentry/node';
import type { FastifyBaseLogger } from 'fastify';
import { redactText, redactValue, REDACTED, SECRET_KEY } from './redact.ts';

/** Where an unexpected error is sent besides error_logs: Sentry when SENTRY_DSN is set. */
export type ErrorReporter = {
  /** An unexpected server error (a 5xx `internal`), with the request's id, method and route. */
  captureServerError(err: unknown, context: { requestId: string; method: string; route: string | undefined }): void;
  /** An unexpected error outside a request: a background task's, or one that is crashing the process. */
  captureBackgroundError(err: unknown, context: { task: string }): void;
  /** A browser's report (`POST /api/client-errors`), already stored. */
  captureClientError(report: {
    type: string;
    message: string;
    stack: string | undefined;
    context: { page: string; url: string; userAgent: string; release: string };
  }): void;
  /** Sends what is queued (at most `timeoutMs`), then stops. */
  close(timeoutMs?: number): Promise<void>;
};

/** Strips what Sentry's event could carry of a secret: request cookies, headers, query, free text. */
export function scrubEvent<T extends Event>(event: T): T {
  if (event.request) {
    delete event.request.cookies;
    delete event.request.query_string;
    delete event.request.data;
    if (event.request.headers) event.request.headers = redactValue(event.request.headers);
    if (event.request.url) event.request.url = redactText(event.request.url.split(/[?#]/)[0]!);
  }
  if (event.user) event.user = { id: event.user.id };
  if (event.message) event.message = redactText(event.message);
  for (const ex of event.exception?.values ?? []) {
    if (ex.value) ex.value = redactText(ex.value);
  }
  if (event.extra) event.extra = redactValue(event.extra);
  if (event.contexts) event.contexts = redactValue(event.contexts);
  if (event.tags) {
    for (const k of Object.keys(event.tags)) {
      if (SECRET_KEY.test(k)) event.tags[k] = REDACTED;
      else if (typeof event.tags[k] === 'string') event.tags[k] = redactText(event.tags[k]);
    }
  }
  for (const b of event.breadcrumbs ?? []) {
    if (b.message) b.message = redactText(b.message);
    if (b.data) b.data = redactValue(b.data);
  }
  return event;
}

/**
 * A Sentry client of this app alone (no global `Sentry.init`: no OpenTelemetry, no patched modules,
 * so tests and several apps in one process never share state). Loaded only when a DSN is set.
 */
export async function createSentryReporter(options: {
  dsn: string;
  environment: string;
  release: string;
  logger?: FastifyBaseLogger;
}): Promise<ErrorReporter> {
  const Sentry = await import('@sentry/node');
  const client = new Sentry.NodeClient({
    dsn: options.dsn,
    environment: options.environment,
    release: options.release,
    transport: Sentry.makeNodeTransport,
    stackParser: Sentry.defaultStackParser,
    // No request data, console breadcrumbs or local variables: nothing a customer typed leaks in.
    integrations: [Sentry.dedupeIntegration(), Sentry.linkedErrorsIntegration()],
    beforeSend: (event: ErrorEvent) => scrubEvent(event),
    beforeBreadcrumb: () => null,
  });
  const scope: Scope = new Sentry.Scope();
  scope.setClient(client);
  client.init();
  options.logger?.info({ environment: options.environment, release: options.release }, 'errors are also reported to Sentry');

  return {
    captureServerError(err, context) {
      const s = scope.clone();
      s.setTag('source', 'server');
      s.setTag('request_id', context.requestId);
      s.setTag('route', `${context.method} ${context.route ?? 'unknown'}`);
      s.captureException(err);
    },
    captureBackgroundError(err, context) {
      const s = scope.clone();
      s.setTag('source', 'server');
      s.setTag('task', context.task);
      s.captureException(err);
    },
    captureClientError(report) {
      const s = scope.clone();
      s.setTag('source', 'client');
      s.setTag('page', report.context.page);
      s.setContext('client', { url: report.context.url, userAgent: report.context.userAgent, release: report.context.release });
      if (report.stack) s.setExtra('stack', report.stack);
      s.captureEvent({
        level: 'error',
        platform: 'javascript',
        exception: { values: [{ type: report.type, value: report.message }] },
      });
    },
    async close(timeoutMs = 2000) {
      await client.close(timeoutMs);
    },
  };
}
