/**
 * What an error report may carry: never a token, a password or a cookie. Error messages and stacks
 * are free text (a rejected promise may hold a whole request), so secrets are also looked for in them.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Keys whose value is a secret wherever they appear (contexts, extras, headers). */
export const SECRET_KEY = /pass(word|wd)?|pwd|secret|token|cookie|authori[sz]ation|session|api[-_]?key|dsn/i;
const KEY_VALUE = /\b((?:[\w-]*?)(?:pass(?:word|wd)?|pwd|secret|token|cookie|authori[sz]ation|session|api[-_]?key))(["']?\s*[=:]\s*["']?)[^\s"'&,;}]+/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]+@/gi;
// Ticket tokens are 43 base64url characters; session ids and hashes are long too. UUIDs (ids) stay.
const LONG_OPAQUE = /[A-Za-z0-9_-]{32,}/g;

export const REDACTED = '[redacted]';

/** The text with anything that looks like a credential replaced by `[redacted]`. */
export function redactText(text: string): string {
  return text
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(USERINFO, `$1${REDACTED}@`)
    .replace(KEY_VALUE, `$1$2${REDACTED}`)
    .replace(LONG_OPAQUE, (run) => (UUID.test(run) ? run : REDACTED));
}

/** A deep copy with secret-named keys dropped and every string redacted. */
export function redactValue<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_KEY.test(k) ? REDACTED : redactValue(v, depth + 1);
  }
  return out as T;
}

/** A page address without its query string and fragment (where the widget's links carry the token). */
export function pageAddress(url: string): string {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return '';
    return redactText(`${u.origin}${u.pathname}`);
  } catch {
    return '';
  }
}
