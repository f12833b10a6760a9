import { FRAME, REALTIME_CLOSE, REALTIME_PATH, TICKET_CHANNEL_PREFIX } from '../../contracts/realtime-constants.ts';
import type { ServerFrame } from '../../contracts/realtime.ts';
import type { Message, Ticket } from '../../contracts/tickets.ts';

/** Every state of the link, named once; the pages show them (the widget's badge, the staff pages' indicator). */
export const REALTIME_STATES = ['connecting', 'open', 'reconnecting', 'offline', 'closed'] as const;
/**
 * `offline`: the browser says it has no network (the link comes back by itself when it has);
 * `closed`: not started, following nothing after an idle close, stopped by `close()`, or revoked.
 */
export type RealtimeState = (typeof REALTIME_STATES)[number];

/** What one listener wants to hear on a channel. Every callback is optional. */
export type ChannelListener = {
  /** The customer's ticket token (`ticket:<id>` as a customer, `order:<n>` with a tracking token). */
  token?: string;
  /**
   * Resume point on the first subscribe: the seq of the newest message the page already shows, or `0`
   * when it shows none (the server then sends every message of the ticket, which is all of them the page
   * lacks). A message id or a messages cursor works too. Left out on a ticket channel, the subscription
   * is live from the moment the server takes it, and a resume before any message arrived asks for
   * `since: 0` (see sendSubscribe): pass it whenever the page has loaded messages.
   * `token` and `since` are read from the channel's first listener; later ones join its subscription.
   */
  since?: number | string;
  onMessage?: (message: Message) => void;
  /** `ticket.updated` (and `ticket.created` on `queue`). */
  onTicket?: (ticket: Ticket, type: typeof FRAME.ticketCreated | typeof FRAME.ticketUpdated) => void;
  onTyping?: (authorType: string, typing: boolean) => void;
  onPresence?: (agents: number) => void;
  /** The subscription was refused (bad token, unknown ticket…): it is dropped, not retried. */
  onError?: (code: string, message: string) => void;
  /** Every frame of the channel, including types without a callback of their own (e.g. `order.updated`). */
  onFrame?: (frame: ServerFrame) => void;
};

export type RealtimeClientOptions = {
  /** ws(s)://host/api/realtime of the page's own origin by default. */
  url?: string;
  /** A WebSocket constructor (tests pass `ws`, the debug page one that logs frames); the browser's by default. */
  WebSocketImpl?: typeof WebSocket;
  /** Reconnect delays: full jitter over base·2^attempt, capped at max. */
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  /** Browsers cannot see WebSocket pings: an application ping left unanswered means a dead link. */
  pingEveryMs?: number;
  pongWithinMs?: number;
};

export type RealtimeClient = {
  readonly state: RealtimeState;
  /**
   * Listens to a channel and returns the way to stop: the first listener subscribes, the last one to
   * leave unsubscribes. Opens the link if it is not open.
   */
  subscribe: (channel: string, listener: ChannelListener) => () => void;
  /** Starts or stops the typing indicator seen by the other side of the ticket. */
  typing: (channel: string, typing: boolean) => void;
  /** Agents: the person at this tab went idle or came back (their availability); said again after a reconnect. */
  activity: (idle: boolean) => void;
  /** `code`: the close code that caused the change (4001: the session ended, no reconnect). */
  onState: (listener: (state: RealtimeState, code?: number) => void) => () => void;
  /** Opens the link now, before any subscription (a page that shows its state), or again after close(). */
  connect: () => void;
  /** Closes the link and stops reconnecting; the channels are kept, and connect() resumes them. */
  close: () => void;
};

/** `lastSeq`: the newest message seq delivered (or the first listener's numeric `since`); `sent`: subscribed once already. */
type Channel = { listeners: Set<ChannelListener>; token?: string; since?: number | string; lastSeq: number | null; sent: boolean };

/**
 * The one realtime client of the web pages: one WebSocket to /api/realtime, framework-free, used by the
 * widget and the staff pages alike. Subscriptions survive reconnects: after every (re)connection each
 * channel is sent again with `since` = the last message seq received, so nothing said while the link was
 * down is missed, and a message seen twice (resume overlap) is delivered once. Reconnects back off with
 * jitter; a server close with code 4001 (session revoked) stops them.
 */
export function createRealtimeClient(options: RealtimeClientOptions = {}): RealtimeClient {
  const WS = options.WebSocketImpl ?? WebSocket;
  const url = options.url ?? defaultUrl();
  const baseMs = options.reconnectBaseMs ?? 500;
  const maxMs = options.reconnectMaxMs ?? 30_000;
  const pingEveryMs = options.pingEveryMs ?? 25_000;
  const pongWithinMs = options.pongWithinMs ?? 10_000;
  const channels = new Map<string, Channel>();
  const stateListeners = new Set<(state: RealtimeState, code?: number) => void>();
  const browserOffline = () => globalThis.navigator?.onLine === false;
  let ws: WebSocket | null = null;
  let state: RealtimeState = browserOffline() ? 'offline' : 'closed';
  let attempt = 0;
  let opened = false;
  let stopped = false;
  // Something to follow: a page that called connect(), or a subscription since the last idle close.
  let wanted = false;
  let idle = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;

  const setState = (next: RealtimeState, code?: number) => {
    if (next === state) return;
    state = next;
    for (const listener of [...stateListeners]) listener(next, code);
  };
  const send = (frame: { type: string } & Record<string, unknown>) => {
    if (!ws || ws.readyState !== WS.OPEN) return;
    ws.send(JSON.stringify(frame));
  };
  const sendSubscribe = (name: string, ch: Channel) => {
    if (!ws || ws.readyState !== WS.OPEN) return;
    let since = ch.lastSeq ?? ch.since;
    // A ticket subscription taken without `since` started wherever the ticket stood when the server took
    // it, a seq this client never learns. If no message came since, resuming without `since` would skip
    // whatever was said while the link was down: ask for everything instead (seqs start at 1), and let
    // the strictly increasing seq check deliver each message once from then on.
    if (since === undefined && ch.sent && name.startsWith(TICKET_CHANNEL_PREFIX)) since = 0;
    ch.sent = true;
    send({ type: FRAME.subscribe, channel: name, token: ch.token, since });
  };
  const stopTimers = () => {
    clearInterval(pingTimer);
    clearTimeout(pongTimer);
  };

  const open = () => {
    if (stopped || ws) return;
    clearTimeout(retryTimer);
    if (browserOffline()) return setState('offline');
    setState(opened ? 'reconnecting' : 'connecting');
    const socket = new WS(url);
    ws = socket;
    socket.onopen = () => {
      opened = true;
      setState('open');
      if (idle) send({ type: FRAME.activity, idle });
      for (const [name, ch] of channels) sendSubscribe(name, ch);
      pingTimer = setInterval(() => {
        send({ type: FRAME.ping });
        clearTimeout(pongTimer);
        pongTimer = setTimeout(() => socket.close(), pongWithinMs);
      }, pingEveryMs);
    };
    socket.onmessage = (event) => {
      // Any frame proves the link alive, and a server that answers is one worth retrying quickly.
      clearTimeout(pongTimer);
      attempt = 0;
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as ServerFrame;
      } catch {
        return;
      }
      if (frame && typeof frame === 'object') dispatch(frame);
    };
    socket.onclose = (event) => {
      if (ws !== socket) return;
      ws = null;
      stopTimers();
      if (stopped) return;
      if (event.code === REALTIME_CLOSE.revoked) {
        stopped = true;
        return setState('closed', event.code);
      }
      // Closed for following nothing: nothing to resume, so no reconnect until the next subscribe().
      if (event.code === REALTIME_CLOSE.idle && channels.size === 0) {
        wanted = false;
        return setState('closed', event.code);
      }
      // No network: the browser's `online` event reconnects.
      if (browserOffline()) return setState('offline', event.code);
      setState('reconnecting', event.code);
      const delay = Math.random() * Math.min(maxMs, baseMs * 2 ** attempt);
      attempt += 1;
      retryTimer = setTimeout(open, delay);
    };
    socket.onerror = () => socket.close();
  };

  const dispatch = (frame: ServerFrame) => {
    const name = 'channel' in frame ? frame.channel : undefined;
    const ch = name === undefined ? undefined : channels.get(name);
    if (!ch || !name) return;
    const each = (call: (listener: ChannelListener) => void) => {
      for (const listener of [...ch.listeners]) call(listener);
    };
    switch (frame.type) {
      case FRAME.messageCreated:
        // Strictly increasing per channel: a resume overlap never shows a message twice.
        if (ch.lastSeq !== null && frame.message.seq <= ch.lastSeq) return;
        ch.lastSeq = frame.message.seq;
        each((l) => l.onMessage?.(frame.message));
        break;
      case FRAME.ticketCreated:
      case FRAME.ticketUpdated:
        each((l) => l.onTicket?.(frame.ticket, frame.type));
        break;
      case FRAME.typing:
        each((l) => l.onTyping?.(frame.author_type, frame.typing));
        break;
      case FRAME.presence:
        each((l) => l.onPresence?.(frame.agents));
        break;
      case FRAME.error:
        if (RETRYABLE.has(frame.code)) {
          // The server could not check the subscription right now: ask again a little later.
          setTimeout(() => channels.get(name) === ch && sendSubscribe(name, ch), 1000 + Math.random() * 2000);
          break;
        }
        channels.delete(name);
        each((l) => l.onError?.(frame.code, frame.message));
        break;
    }
    each((l) => l.onFrame?.(frame));
  };

  const onOnline = () => {
    attempt = 0;
    if (wanted) open();
    else if (state === 'offline') setState('closed');
  };
  const onOffline = () => {
    if (stopped) return;
    setState('offline');
    ws?.close();
  };
  const listen = (on: boolean) => {
    const method = on ? 'addEventListener' : 'removeEventListener';
    globalThis[method]?.('online', onOnline);
    globalThis[method]?.('offline', onOffline);
  };
  listen(true);

  return {
    get state() {
      return state;
    },
    subscribe(name, listener) {
      let ch = channels.get(name);
      if (!ch) {
        const { token, since } = listener;
        ch = { listeners: new Set(), token, since, lastSeq: typeof since === 'number' ? since : null, sent: false };
        channels.set(name, ch);
        wanted = true;
        if (ws) sendSubscribe(name, ch);
        else open();
      }
      const joined = ch;
      joined.listeners.add(listener);
      return () => {
        if (channels.get(name) !== joined || !joined.listeners.delete(listener) || joined.listeners.size > 0) return;
        channels.delete(name);
        send({ type: FRAME.unsubscribe, channel: name });
      };
    },
    typing(name, typing) {
      if (channels.has(name)) send({ type: FRAME.typing, channel: name, typing });
    },
    activity(next) {
      if (idle === next) return;
      idle = next;
      send({ type: FRAME.activity, idle });
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    connect() {
      stopped = false;
      wanted = true;
      listen(true);
      open();
    },
    close() {
      stopped = true;
      wanted = false;
      opened = false;
      clearTimeout(retryTimer);
      stopTimers();
      listen(false);
      ws?.close();
      ws = null;
      setState('closed');
    },
  };
}

/**
 * Error codes of a subscription that are worth retrying; any other refusal is final. `rate_limited`:
 * the server paces re-subscriptions and backlogs per client (docs/realtime.md), so ask again later.
 */
const RETRYABLE = new Set(['unavailable', 'internal', 'rate_limited']);

function defaultUrl(): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${REALTIME_PATH}`;
}
