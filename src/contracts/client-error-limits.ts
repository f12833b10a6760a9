/**
 * Bounds of `POST /api/client-errors`, shared by the browsers' reporter and the server. No zod here:
 * the reporter ships in the customer widget, whose JavaScript budget is tight.
 */
export const CLIENT_ERROR_PAGES = ['widget', 'dashboard', 'debug'] as const;
export type ClientErrorPage = (typeof CLIENT_ERROR_PAGES)[number];

export const CLIENT_ERRORS_ENDPOINT = '/api/client-errors';

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
