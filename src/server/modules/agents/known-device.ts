import { secretFromCookieHeader } from './session-agent.ts';

/**
 * The cookie that marks a browser which logged in to an account before (HttpOnly, SameSite=Strict, sent
 * to /api/auth only). Its value is 256 random bits; the database keeps only their SHA-256
 * (agent_devices). It proves nothing by itself: it only keeps the account's own browser out of the
 * failure counts strangers run up for the account's address.
 */
export const DEVICE_COOKIE = 'tf_device';
export const DEVICE_COOKIE_PATH = '/api/auth';

/** How long a browser stays known after its last successful login. */
export const DEVICE_MAX_AGE_SECONDS = 180 * 24 * 60 * 60;

export function deviceIdFromCookieHeader(cookieHeader: string | undefined): string | null {
  return secretFromCookieHeader(cookieHeader, DEVICE_COOKIE);
}
