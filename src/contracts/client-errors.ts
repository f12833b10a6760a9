import { z } from 'zod';
import { textSchema } from './common.ts';

/** The pages that report their errors (src/web/lib/error-reporter.ts), each defined once. */
export const CLIENT_ERROR_PAGES = ['widget', 'dashboard', 'debug'] as const;
export type ClientErrorPage = (typeof CLIENT_ERROR_PAGES)[number];

/** Bounds of `POST /api/client-errors`, shared by the reporter and the server. */
export const CLIENT_ERROR_LIMITS = {
  /** Whole request body: past it, 413. */
  bodyMaxBytes: 16 * 1024,
  typeMaxChars: 100,
  messageMaxChars: 1000,
  stackMaxChars: 8000,
  urlMaxChars: 2000,
  /** Distinct reports one page load sends at most (the reporter's own limit). */
  perPage: 10,
} as const;

export const CLIENT_ERRORS_ENDPOINT = '/api/client-errors';

/**
 * One uncaught error or unhandled rejection of a web page. `url` is the page's address; the server
 * keeps only its origin and path (a query string or fragment may carry a ticket's token).
 */
export const clientErrorReportSchema = z.strictObject({
  page: z.enum(CLIENT_ERROR_PAGES),
  type: textSchema(CLIENT_ERROR_LIMITS.typeMaxChars).optional(),
  message: textSchema(CLIENT_ERROR_LIMITS.messageMaxChars).min(1),
  stack: textSchema(CLIENT_ERROR_LIMITS.stackMaxChars).optional(),
  url: textSchema(CLIENT_ERROR_LIMITS.urlMaxChars),
});
export type ClientErrorReport = z.infer<typeof clientErrorReportSchema>;
export const clientErrorAcceptedSchema = z.object({ accepted: z.literal(1) });
