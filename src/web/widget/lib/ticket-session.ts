/**
 * The customer's open conversation: ticket id and token, kept in localStorage so that a reload (or the
 * next visit) reopens it. The e-mailed link carries them in the URL fragment,
 * `/#ticket=<id>&token=<token>`: the fragment never reaches a server log, and it is removed from the
 * address bar as soon as it is read, so it is not left in the history or shared by copy-paste.
 */
import { isTicketSession, type TicketSession } from '../../lib/embed-protocol.ts';

export type { TicketSession };

export const TICKET_STORAGE_KEY = 'tf-ticket';
const PROBE_KEY = 'tf-probe';

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/**
 * Whether this page can keep anything for the next visit. An iframe of another site may be refused
 * storage (third-party storage blocked): reading `localStorage` then throws a SecurityError.
 */
export function ownStorageWorks(): boolean {
  try {
    const s = storage();
    if (!s) return false;
    s.setItem(PROBE_KEY, '1');
    s.removeItem(PROBE_KEY);
    return true;
  } catch {
    return false;
  }
}

export function readTicketSession(): TicketSession | null {
  try {
    const parsed: unknown = JSON.parse(storage()?.getItem(TICKET_STORAGE_KEY) ?? 'null');
    return isTicketSession(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export function saveTicketSession(session: TicketSession): void {
  try {
    storage()?.setItem(TICKET_STORAGE_KEY, JSON.stringify(session));
  } catch {
    // storage blocked: the conversation stays open for this page only
  }
}

export function clearTicketSession(): void {
  try {
    storage()?.removeItem(TICKET_STORAGE_KEY);
  } catch {
    // nothing stored
  }
}

/** The bot thread's conversation token (docs/widget.md): the chat before it became a ticket survives a reload. */
export const THREAD_STORAGE_KEY = 'tf-thread';

export function readThreadToken(): string | null {
  try {
    return storage()?.getItem(THREAD_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/** Keeps the token, or forgets it (null). */
export function saveThreadToken(token: string | null): void {
  try {
    if (token) storage()?.setItem(THREAD_STORAGE_KEY, token);
    else storage()?.removeItem(THREAD_STORAGE_KEY);
  } catch {
    // storage blocked: the loader keeps it on the host page (useHostHandover), else it lasts for the page
  }
}

/** Parses `#ticket=<id>&token=<token>`; null when the fragment is not such a link. */
export function parseTicketFragment(hash: string): TicketSession | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const session = { id: params.get('ticket') ?? '', token: params.get('token') ?? '' };
  return isTicketSession(session) ? session : null;
}

/**
 * Reads a ticket link from the address bar, stores it, and removes the fragment from the URL (keeping
 * path and query). Returns the session, or null when there was no link.
 */
export function takeTicketFromLocation(loc: Location = location, hist: History = history): TicketSession | null {
  const session = parseTicketFragment(loc.hash);
  if (!session) return null;
  saveTicketSession(session);
  hist.replaceState(hist.state, '', `${loc.pathname}${loc.search}`);
  return session;
}
