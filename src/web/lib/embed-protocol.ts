/**
 * Messages between the embed loader (on the restaurant's page) and the widget in its iframe. Both
 * sides check the other's origin; the names are defined once here.
 */
export const EMBED_MESSAGES = {
  /** iframe → page: the customer closed the panel (close button or Escape). */
  close: 'tf-widget:close',
  /** iframe → page: the app is ready (after the first render). */
  ready: 'tf-widget:ready',
  /** iframe → page: unread agent replies while the panel is closed: `{count}`. */
  unread: 'tf-widget:unread',
  /** page → iframe: the panel was opened (the app moves focus inside). */
  opened: 'tf-widget:opened',
  /** page → iframe: the panel was hidden. */
  hidden: 'tf-widget:hidden',
  /**
   * page → iframe, answering `ready`: the conversation the loader kept in the host page's storage, a
   * `Handover`. Its origin is the only one the iframe will send a `keep` to.
   */
  resume: 'tf-widget:resume',
  /**
   * iframe → page (to the exact origin that sent `resume`): a `Handover` to keep in the host page's
   * storage, because the iframe's own storage is refused; `{session: null, lang: null}` forgets it.
   */
  keep: 'tf-widget:keep',
} as const;

/** The query parameter telling the page at `/` that it runs inside the loader's iframe. */
export const EMBED_PARAM = 'embed';

export type TicketSession = { id: string; token: string };
export type EmbedLang = 'fr' | 'en' | 'nl';

/**
 * What the iframe needs to resume the conversation after the host page is reloaded: the ticket, the
 * language, and the bot thread's conversation token (`thread`, before the thread became a ticket).
 */
export type Handover = { session: TicketSession | null; lang: EmbedLang | null; thread?: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOKEN_MAX_CHARS = 200;

/** A conversation token as the server hands it out (base64url). */
export function isThreadToken(v: unknown): v is string {
  return typeof v === 'string' && /^[\w-]{20,200}$/.test(v);
}

export function isTicketSession(v: unknown): v is TicketSession {
  const s = v as TicketSession | null;
  return !!s && typeof s.id === 'string' && UUID.test(s.id) && typeof s.token === 'string' && s.token.length > 0 && s.token.length <= TOKEN_MAX_CHARS;
}

/** A `Handover` from a message or from storage, keeping only well-formed fields; null when it is not one. */
export function parseHandover(v: unknown): Handover | null {
  if (!v || typeof v !== 'object') return null;
  const { session, lang, thread } = v as Partial<Handover>;
  return {
    session: isTicketSession(session) ? { id: session.id, token: session.token } : null,
    lang: lang === 'fr' || lang === 'en' || lang === 'nl' ? lang : null,
    ...(isThreadToken(thread) ? { thread } : {}),
  };
}
