import { ERROR_STATUS, type ErrorCode } from '../../contracts/errors.ts';
import type { Lang } from '../../contracts/common.ts';

/**
 * The one error type of the server. `code` decides the status (ERROR_STATUS); `reason` picks the
 * message shown to the user (a key of locales/<lang>/errors.json, the code itself by default), with
 * `params` filling its `{{placeholders}}`; `internal` is for the logs only.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly reason: string;
  readonly lang?: Lang;
  readonly retryAfterSeconds?: number;
  readonly details?: unknown;
  readonly params?: Readonly<Record<string, string>>;

  constructor(
    code: ErrorCode,
    options: {
      reason?: string;
      lang?: Lang;
      retryAfterSeconds?: number;
      details?: unknown;
      params?: Readonly<Record<string, string>>;
      internal?: string;
    } = {},
  ) {
    super(options.internal ?? options.reason ?? code);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.reason = options.reason ?? code;
    this.lang = options.lang;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details;
    this.params = options.params;
  }
}
