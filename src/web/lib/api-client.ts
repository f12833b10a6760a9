/**
 * The one HTTP client of the web pages (customer widget, agent dashboard, debug page).
 *
 * - `apiRequest<T>(path, options)` sends JSON, adds `Authorization: Bearer <token>` when a ticket token is
 *   given, `Accept-Language` from the page's language, and cookies for same-origin calls (agent session).
 * - Every failure is an `ApiError`: `status` is the HTTP status, or 0 when no answer came back (offline,
 *   network error, aborted); `code` is the contract's error code (`rate_limited`, `not_found`, ...) or
 *   `network`; `message` is the server's message, already in the caller's language.
 * - Retries (docs/widget.md, errors and retries): exponential backoff for network errors and 5xx only, never for a 4xx. GET requests
 *   retry by default; a POST retries only when the caller says it is idempotent (`retry: {}`), i.e. it
 *   carries a `clientId` the server deduplicates.
 * - `friendlyErrorKey(error)` gives the i18n key (namespace `common`) of the seed's friendly texts.
 *
 * Nothing here imports zod or the contracts' runtime code: this file ships in the customer widget, whose
 * JavaScript budget is 60 KB gzipped.
 */

export type ErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'internal'
  | 'unavailable'
  | 'network'
  | 'aborted';

export class ApiError extends Error {
  /** HTTP status; 0 when no answer came back. */
  readonly status: number;
  /** The contract's error code, `network` when the request never got an answer, `aborted` when cancelled. */
  readonly code: ErrorCode | string;
  /** From the `Retry-After` header of a 429/503, in seconds. */
  readonly retryAfterSeconds: number | null;
  readonly details: unknown;

  constructor(init: { status: number; code: string; message: string; retryAfterSeconds?: number | null; details?: unknown }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
    this.details = init.details;
  }
}

export type RetryOptions = {
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** First delay in ms, doubled at each retry (default 500). */
  initialDelay?: number;
  /** Cap of one delay in ms (default 30 000). */
  maxDelay?: number;
  /** Which errors are retried (default: `isRetryableError`). */
  shouldRetry?: (error: unknown) => boolean;
  /** Called before each wait, e.g. to show "retrying". */
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
  signal?: AbortSignal;
};

export type QueryValue = string | number | boolean | null | undefined;

export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Appended as a query string; null/undefined values are left out. */
  query?: Record<string, QueryValue>;
  /** Sent as JSON; a FormData is sent as it is (multipart). */
  body?: unknown;
  /** A customer's ticket token, sent as `Authorization: Bearer <token>`. */
  token?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Retry policy: default retries GET only; `false` never retries; `{}` retries with the defaults. */
  retry?: RetryOptions | false;
  /** Keeps the request alive while the page unloads (metrics). */
  keepalive?: boolean;
};

type ClientConfig = { baseUrl: string; lang: string | null; fetch: typeof fetch | null };
const config: ClientConfig = { baseUrl: '', lang: null, fetch: null };

/** Where the API lives; '' (default) is the page's own origin. */
export function setApiBaseUrl(baseUrl: string): void {
  config.baseUrl = baseUrl.replace(/\/+$/, '');
}

/** The language sent as `Accept-Language` (errors come back in it); null sends the browser's. */
export function setApiLanguage(lang: string | null): void {
  config.lang = lang;
}

/** Replaces `fetch` (tests, stories). null restores the global one. */
export function setApiFetch(impl: typeof fetch | null): void {
  config.fetch = impl;
}

export function apiUrl(path: string, query?: Record<string, QueryValue>): string {
  let url = `${config.baseUrl}${path}`;
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) params.set(k, String(v));
    const qs = params.toString();
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
  }
  return url;
}

/** Network errors and 5xx are worth retrying; a 4xx will answer the same again. */
export function isRetryableError(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.code === 'aborted') return false;
  return error.status === 0 || error.status >= 500;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(abortError());
      },
      { once: true },
    );
  });

const abortError = () => new ApiError({ status: 0, code: 'aborted', message: 'aborted' });

/** The delay before retry number `attempt` (0-based): initialDelay * 2^attempt, capped. */
export function backoffDelay(attempt: number, initialDelay = 500, maxDelay = 30_000): number {
  return Math.min(initialDelay * 2 ** attempt, maxDelay);
}

/** Seed §5: runs `fn`, retrying with exponential backoff while `shouldRetry(error)` holds. */
export async function retryWithBackoff<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { maxRetries = 3, initialDelay = 500, maxDelay = 30_000, shouldRetry = isRetryableError } = options;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= maxRetries || !shouldRetry(error)) throw error;
      // A 429/503 says when to come back; never wait less than that.
      const hinted = error instanceof ApiError && error.retryAfterSeconds ? error.retryAfterSeconds * 1000 : 0;
      const delay = Math.max(backoffDelay(attempt, initialDelay, maxDelay), Math.min(hinted, maxDelay));
      options.onRetry?.(attempt + 1, delay, error);
      await sleep(delay, options.signal);
    }
  }
}

async function sendOnce<T>(url: string, init: RequestInit): Promise<T> {
  const doFetch = config.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(url, init);
  } catch (err) {
    if (init.signal?.aborted) throw abortError();
    throw new ApiError({ status: 0, code: 'network', message: err instanceof Error ? err.message : 'network error' });
  }
  const text = await res.text().catch(() => '');
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new ApiError({
      status: res.status,
      code: err?.code ?? (res.status >= 500 ? 'internal' : 'invalid_request'),
      message: err?.message ?? res.statusText ?? `HTTP ${res.status}`,
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
      details: err?.details,
    });
  }
  return json as T;
}

/** Sends one API request; resolves with the parsed JSON body (undefined when empty), rejects with ApiError. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  // A FormData body (an upload) sets its own multipart Content-Type with its boundary.
  const form = typeof FormData !== 'undefined' && options.body instanceof FormData;
  if (options.body !== undefined && !form) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (config.lang && !headers['accept-language']) headers['accept-language'] = config.lang;
  const init: RequestInit = {
    method,
    headers,
    credentials: 'same-origin',
    body: options.body === undefined ? undefined : form ? (options.body as FormData) : JSON.stringify(options.body),
    signal: options.signal,
    keepalive: options.keepalive,
  };
  const url = apiUrl(path, options.query);
  const retry = options.retry ?? (method === 'GET' ? {} : false);
  if (retry === false) return sendOnce<T>(url, init);
  return retryWithBackoff(() => sendOnce<T>(url, init), { signal: options.signal, ...retry });
}

/** Keys (namespace `common`) of the seed's friendly error texts. */
export const FRIENDLY_ERROR_KEYS = {
  offline: 'errors.offline',
  server: 'errors.server',
  notFound: 'errors.not_found',
  rateLimited: 'errors.rate_limited',
  unexpected: 'errors.unexpected',
} as const;
export type FriendlyErrorKey = (typeof FRIENDLY_ERROR_KEYS)[keyof typeof FRIENDLY_ERROR_KEYS];

/**
 * Seed §5 `getUserFriendlyMessage`, as an i18n key: offline, 5xx, 404, 429, else unexpected.
 * Translate with `t(friendlyErrorKey(err), { ns: 'common' })`; the server's own `message` (already
 * localised) may be more precise for a 4xx, e.g. the ticket limit: see `errorText` in i18n.ts.
 */
export function friendlyErrorKey(error: unknown, online: boolean = typeof navigator === 'undefined' || navigator.onLine): FriendlyErrorKey {
  if (!online) return FRIENDLY_ERROR_KEYS.offline;
  if (error instanceof ApiError) {
    // Online but no answer: the server (or the way to it) is down, not the customer's connection.
    if (error.status >= 500 || error.code === 'network') return FRIENDLY_ERROR_KEYS.server;
    if (error.status === 404) return FRIENDLY_ERROR_KEYS.notFound;
    if (error.status === 429) return FRIENDLY_ERROR_KEYS.rateLimited;
  }
  return FRIENDLY_ERROR_KEYS.unexpected;
}
