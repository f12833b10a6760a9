import { z } from 'zod';
import { CLIENT_ERROR_LIMITS, CLIENT_ERROR_PAGES } from './client-error-limits.ts';
import { textSchema } from './common.ts';

export { CLIENT_ERROR_LIMITS, CLIENT_ERROR_PAGES, CLIENT_ERRORS_ENDPOINT, type ClientErrorPage } from './client-error-limits.ts';

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
/** `accepted: 0` when the address's hourly quota of stored reports is spent (the report was dropped). */
export const clientErrorAcceptedSchema = z.object({ accepted: z.union([z.literal(0), z.literal(1)]) });
