import { useEffect, useRef, useState } from 'preact/hooks';
import { EMBED_MESSAGES, EMBED_PARAM, parseHandover, type Handover, type TicketSession } from '../../lib/embed-protocol.ts';
import { ownStorageWorks } from './ticket-session.ts';

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

/** The host page's origin, as the browser stamped the loader's `resume`: the only one given a token. */
let hostOrigin: string | null = null;

/** Listens to the loader's `opened`/`hidden`/`resume` messages; returns the unsubscribe function. */
export function onHostMessage(handlers: { opened?: () => void; hidden?: () => void; resume?: (handover: Handover) => void }): () => void {
  const listener = (event: MessageEvent) => {
    if (event.source !== window.parent) return;
    const type = (event.data as { type?: string } | null)?.type;
    if (type === EMBED_MESSAGES.opened) handlers.opened?.();
    else if (type === EMBED_MESSAGES.hidden) handlers.hidden?.();
    else if (type === EMBED_MESSAGES.resume && handlers.resume) {
      const handover = parseHandover(event.data);
      if (!handover) return;
      hostOrigin = event.origin;
      handlers.resume(handover);
    }
  };
  window.addEventListener('message', listener);
  return () => window.removeEventListener('message', listener);
}

/** Asks the loader to keep `handover` in the host page's storage, sent to the host's exact origin only. */
export function keepOnHost(handover: Handover): void {
  if (!hostOrigin || window.parent === window) return;
  window.parent.postMessage({ type: EMBED_MESSAGES.keep, ...handover }, hostOrigin);
}

const NOTHING_TO_KEEP: Handover = { session: null, lang: null };

/**
 * The conversation across reloads of the host page when the browser refuses this iframe its storage
 * (third-party storage blocked): the loader hands back what it kept (`resume`), adopted only when this
 * page has no conversation of its own; every change of conversation or language is sent back to keep.
 * When this page's own storage works the host is asked to keep nothing (its storage is preferred).
 */
export function useHostHandover(options: {
  embedded: boolean;
  session: TicketSession | null;
  lang: Handover['lang'];
  adopt: (session: TicketSession) => void;
  /** The bot thread's conversation token, kept like the ticket (before the thread became one). */
  thread?: string | null;
  adoptThread?: (token: string) => void;
}): void {
  const { embedded, session, lang, thread } = options;
  const [hostKnown, setHostKnown] = useState(false);
  const current = useRef(options);
  current.current = options;
  useEffect(() => {
    if (!embedded) return;
    return onHostMessage({
      resume: (handover) => {
        if (handover.session && !current.current.session) current.current.adopt(handover.session);
        if (handover.thread && !current.current.thread) current.current.adoptThread?.(handover.thread);
        setHostKnown(true);
      },
    });
  }, [embedded]);
  useEffect(() => {
    if (embedded && hostKnown) keepOnHost(ownStorageWorks() ? NOTHING_TO_KEEP : { session, lang, ...(thread ? { thread } : {}) });
  }, [embedded, hostKnown, session, lang, thread]);
}

export { EMBED_MESSAGES };
