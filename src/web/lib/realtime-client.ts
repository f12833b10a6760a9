import { FRAME, REALTIME_CLOSE, REALTIME_PATH, TICKET_CHANNEL_PREFIX } from '../../contracts/realtime-constants.ts';
import type { ServerFrame } from '../../contracts/realtime.ts';
import type { Message, Ticket } from '../../contracts/tickets.ts';

/** Where the connection stands, for a "reconnecting…" banner. `closed`: stopped, or revoked by the server. */
export type RealtimeState = 'connecting' | 'open' | 'reconnecting' | 'offline' | 'closed';

/** What a page wants to hear on one channel. Every callback is optional. */
export type ChannelHandlers = {
  /** The customer's ticket token (`ticket:<id>` as a customer, `order:<n>` with a tracking token). */
  token?: string;
  /**
   * Resume point on the first subscribe: the seq of the newest message the page already shows, or `0`
   * when it shows none (the server then sends every message of the ticket, which is all of them the page
   * lacks). A message id or a messages cursor works too. Left out on a ticket channel, the subscription
   * is live from the moment the server takes it, and a resume before any message arrived asks for
   * `since: 0` (see sendSubscribe): pass it whenever the page has loaded messages.
   */
  since?: number | string;
  onMessage?: (message: Message) => void;
  /** `ticket.updated` (and `ticket.created` on `queue`). */
  onTicket?: (ticket: Ticket, type: 'ticket.created' | 'ticket.updated') => void;
  onTyping?: (authorType: string, typing: boolean) => void;
  onPresence?: (agents: number) => void;
  /** The subscription was refused (bad token, unknown ticket…): it is dropped, not retried. */
  onError?: (code: string, message: string) => void;
  /** Every frame of the channel, including types this client does not know (e.g. `order.updated`). */
  onFrame?: (frame: ServerFrame) => void;
};

export type RealtimeSubscription = {
  /** Starts or stops the typing indicator seen by the other side of the ticket. */
  typing: (typing: boolean) => void;
  unsubscribe: () => void;
};

export type RealtimeClientOptions = {
  /** ws(s)://host/api/realtime of the page's own origin by default. */
  url?: string;
  /** A WebSocket constructor (tests pass `ws`); the browser's by default. */
  WebSocketImpl?: typeof WebSocket;
  onStateChange?: (state: RealtimeState, detail?: { code?: number }) => void;
  /** Reconnect delays: full jitter over base·2^attempt, capped at max. */
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  /** Browsers cannot see WebSocket pings: an application ping left unanswered means a dead link. */
  pingEveryMs?: number;
  pongWithinMs?: number;
  /** Every frame sent (but pings) and received (but pongs), parsed: for a debug page's event log. */
  onFrameLog?: (direction: 'in' | 'out', frame: Record<string, unknown>) => void;
};

/** `lastSeq`: the newest message seq delivered (or the page's numeric `since`); `sent`: subscribed once already. */
type Channel = { handlers: ChannelHandlers; lastSeq: number | null; sent: boolean };

export type RealtimeClient = {
  subscribe: (channel: string, handlers?: ChannelHandlers) => RealtimeSubscription;
  readonly state: RealtimeState;
  /** Opens the WebSocket now, before any subscription (a page that shows the link's state). */
  connect: () => void;
  /** Closes for good (no reconnect). */
  close: () => void;
};

/**
 * One WebSocket to /api/realtime, framework-free. Subscriptions survive reconnects: after every
 * (re)connection each is sent again with `since` = the last message seq received, so nothing said while
 * the link was down is missed, and a message seen twice (resume overlap) is delivered once. Reconnects
 * back off with jitter; a server close with code 4001 (session revoked) stops them.
 */
export function createRealtimeClient(options: RealtimeClientOptions = {}): RealtimeClient {
  const WS = options.WebSocketImpl ?? WebSocket;
  const url = options.url ?? defaultUrl();
  const baseMs = options.reconnectBaseMs ?? 500;
  const maxMs = options.reconnectMaxMs ?? 30_000;
  const pingEveryMs = options.pingEveryMs ?? 25_000;
  const pongWithinMs = options.pongWithinMs ?? 10_000;
  const channels = new Map<string, Channel>();
  let ws: WebSocket | null = null;
  let state: RealtimeState = 'closed';
  let attempt = 0;
  let opened = false;
  let stopped = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;

  const setState = (next: RealtimeState, code?: number) => {
    if (next === state) return;
    state = next;
    options.onStateChange?.(next, code === undefined ? undefined : { code });
  };
  const send = (frame: { type: string } & Record<string, unknown>) => {
    if (!ws || ws.readyState !== WS.OPEN) return;
    ws.send(JSON.stringify(frame));
    if (frame.type !== FRAME.ping) options.onFrameLog?.('out', frame);
  };
  const sendSubscribe = (name: string, ch: Channel) => {
    if (!ws || ws.readyState !== WS.OPEN) return;
    let since = ch.lastSeq ?? ch.handlers.since;
    // A ticket subscription taken without `since` started wherever the ticket stood when the server took
    // it, a seq this client never learns. If no message came since, resuming without `since` would skip
    // whatever was said while the link was down: ask for everything instead (seqs start at 1), and let
    // the strictly increasing seq check deliver each message once from then on.
    if (since === undefined && ch.sent && name.startsWith(TICKET_CHANNEL_PREFIX)) since = 0;
    ch.sent = true;
    send({ type: FRAME.subscribe, channel: name, token: ch.handlers.token, since });
  };
  const stopTimers = () => {
    clearInterval(pingTimer);
    clearTimeout(pongTimer);
  };

  const connect = () => {
    if (stopped || ws) return;
    clearTimeout(retryTimer);
    if (globalThis.navigator?.onLine === false) return setState('offline');
    setState(opened ? 'reconnecting' : 'connecting');
    const socket = new WS(url);
    ws = socket;
    socket.onopen = () => {
      opened = true;
      setState('open');
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
      if (!frame || typeof frame !== 'object') return;
      if (frame.type !== FRAME.pong) options.onFrameLog?.('in', frame as Record<string, unknown>);
      dispatch(frame);
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
      if (event.code === REALTIME_CLOSE.idle && channels.size === 0) return setState('closed', event.code);
      setState('reconnecting', event.code);
      const delay = Math.random() * Math.min(maxMs, baseMs * 2 ** attempt);
      attempt += 1;
      retryTimer = setTimeout(connect, delay);
    };
    socket.onerror = () => socket.close();
  };

  const dispatch = (frame: ServerFrame) => {
    const name = 'channel' in frame ? frame.channel : undefined;
    const ch = name === undefined ? undefined : channels.get(name);
    if (!ch || !name) return;
    const h = ch.handlers;
    switch (frame.type) {
      case FRAME.messageCreated:
        // Strictly increasing per channel: a resume overlap never shows a message twice.
        if (ch.lastSeq !== null && frame.message.seq <= ch.lastSeq) return;
        ch.lastSeq = frame.message.seq;
        h.onMessage?.(frame.message);
        break;
      case FRAME.ticketCreated:
      case FRAME.ticketUpdated:
        h.onTicket?.(frame.ticket, frame.type);
        break;
      case FRAME.typing:
        h.onTyping?.(frame.author_type, frame.typing);
        break;
      case FRAME.presence:
        h.onPresence?.(frame.agents);
        break;
      case FRAME.error:
        if (RETRYABLE.has(frame.code)) {
          // The server could not check the subscription right now: ask again a little later.
          setTimeout(() => channels.get(name) === ch && sendSubscribe(name, ch), 1000 + Math.random() * 2000);
          break;
        }
        channels.delete(name);
        h.onError?.(frame.code, frame.message);
        break;
    }
    h.onFrame?.(frame);
  };

  const onOnline = () => {
    attempt = 0;
    connect();
  };
  const onOffline = () => ws?.close();
  globalThis.addEventListener?.('online', onOnline);
  globalThis.addEventListener?.('offline', onOffline);

  return {
    get state() {
      return state;
    },
    connect,
    subscribe(name, handlers = {}) {
      const ch: Channel = { handlers, lastSeq: typeof handlers.since === 'number' ? handlers.since : null, sent: false };
      channels.set(name, ch);
      if (ws) sendSubscribe(name, ch);
      else connect();
      return {
        typing: (typing) => {
          if (channels.get(name) === ch) send({ type: FRAME.typing, channel: name, typing });
        },
        unsubscribe: () => {
          if (channels.get(name) !== ch) return;
          channels.delete(name);
          send({ type: FRAME.unsubscribe, channel: name });
        },
      };
    },
    close() {
      stopped = true;
      clearTimeout(retryTimer);
      stopTimers();
      globalThis.removeEventListener?.('online', onOnline);
      globalThis.removeEventListener?.('offline', onOffline);
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
