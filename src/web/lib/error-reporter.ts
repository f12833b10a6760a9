/**
 * Reports a page's uncaught errors and unhandled rejections to `POST /api/client-errors` (stored in
 * error_logs, forwarded to Sentry when the server has a DSN). Each distinct error once, at most 10 a
 * page load; sent with `sendBeacon` (survives the page closing), else `fetch(keepalive)`. The address
 * sent is origin and path only: the widget's query string and fragment may carry a ticket's token.
 * Kept tiny and zod-free: it ships in the customer widget.
 */
import { CLIENT_ERROR_LIMITS as L, CLIENT_ERRORS_ENDPOINT, type ClientErrorPage } from '../../contracts/client-error-limits.ts';
import type { ClientErrorReport } from '../../contracts/client-errors.ts';

type Send = (url: string, body: string) => void;

const beacon: Send = (url, body) => {
  if (!navigator.sendBeacon?.(url, new Blob([body], { type: 'application/json' })))
    void fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' }, keepalive: true }).catch(() => {});
};

// The server refuses NUL and lone surrogates; a cut may split a surrogate pair.
const cut = (s: string, n: number) => s.replace(/\0/g, '').slice(0, n).replace(/[\ud800-\udbff]$/, '');

/** Starts reporting this page's errors; returns the function that stops it. */
export function reportClientErrors(page: ClientErrorPage, send: Send = beacon): () => void {
  const seen = new Set<string>();
  const report = (err: unknown, fallback: string) => {
    const e = (err ?? {}) as { name?: unknown; message?: unknown; stack?: unknown };
    const message = cut(typeof e.message === 'string' && e.message ? e.message : typeof err === 'string' && err ? err : fallback || 'Error', L.messageMaxChars);
    const type = cut(typeof e.name === 'string' ? e.name : 'Error', L.typeMaxChars);
    // "Script error." is all a browser tells of another origin's script: nothing to act on.
    if (seen.has(type + message) || seen.size >= L.perPage || message === 'Script error.') return;
    seen.add(type + message);
    const body: ClientErrorReport = { page, type, message, url: cut(location.origin + location.pathname, L.urlMaxChars) };
    if (typeof e.stack === 'string') body.stack = cut(e.stack, L.stackMaxChars);
    try {
      send(CLIENT_ERRORS_ENDPOINT, JSON.stringify(body));
    } catch {
      // Reporting must never raise an error of its own.
    }
  };
  const onError = (ev: ErrorEvent) => report(ev.error, ev.message);
  const onRejection = (ev: PromiseRejectionEvent) => report(ev.reason, 'Unhandled rejection');
  addEventListener('error', onError);
  addEventListener('unhandledrejection', onRejection);
  return () => {
    removeEventListener('error', onError);
    removeEventListener('unhandledrejection', onRejection);
  };
}
