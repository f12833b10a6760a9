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
} as const;

/** The query parameter telling the page at `/` that it runs inside the loader's iframe. */
export const EMBED_PARAM = 'embed';
