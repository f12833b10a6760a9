import { EMBED_MESSAGES, EMBED_PARAM } from '../../loader/protocol.ts';

/** Whether this page runs inside the embed loader's iframe (`/?embed=1`). */
export function isEmbedded(search: string = location.search): boolean {
  return new URLSearchParams(search).get(EMBED_PARAM) === '1' && window.parent !== window;
}

/**
 * Posts to the page that embeds the widget. The target origin is `*` because the host page may be any
 * of the restaurant's sites; what is sent (close, ready, an unread count) reveals nothing.
 */
export function postToHost(type: string, extra: Record<string, unknown> = {}): void {
  if (window.parent === window) return;
  window.parent.postMessage({ type, ...extra }, '*');
}

/** Listens to the loader's `opened`/`hidden` messages; returns the unsubscribe function. */
export function onHostMessage(handlers: { opened?: () => void; hidden?: () => void }): () => void {
  const listener = (event: MessageEvent) => {
    if (event.source !== window.parent) return;
    const type = (event.data as { type?: string } | null)?.type;
    if (type === EMBED_MESSAGES.opened) handlers.opened?.();
    else if (type === EMBED_MESSAGES.hidden) handlers.hidden?.();
  };
  window.addEventListener('message', listener);
  return () => window.removeEventListener('message', listener);
}

export { EMBED_MESSAGES };
