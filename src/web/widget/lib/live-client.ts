import type { ServerFrame } from '../../../contracts/realtime.ts';
import { backoffDelay } from '../../lib/api-client.ts';
import type { LiveClient, LiveStatus, LiveSubscription } from '../features/ticket/api/live.ts';

const REALTIME_PATH = '/api/realtime';
/** Browsers cannot see WebSocket pings: an application ping finds a dead link (the server answers pong). */
const PING_MS = 25_000;
const PONG_TIMEOUT_MS = 10_000;
/** Close codes after which reconnecting cannot help (contracts/realtime.ts REALTIME_CLOSE.revoked). */
const NO_RECONNECT = new Set([4001]);

/**
 * One WebSocket to /api/realtime for the widget: subscriptions are sent again after every reconnect,
 * each with `since` = the last seq the page has, so nothing said while the link was down is missed;
 * reconnects back off exponentially (0.5 s … 30 s) and start at once when the browser is back online.
 */
export function createLiveClient(options: { url?: string; WebSocketImpl?: typeof WebSocket } = {}): LiveClient {
  const url = options.url ?? `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${REALTIME_PATH}`;
  const WS = options.WebSocketImpl ?? WebSocket;
  const subs = new Set<LiveSubscription>();
  const statusListeners = new Set<(s: LiveStatus) => void>();
  let ws: WebSocket | null = null;
  let status: LiveStatus = 'connecting';
  let attempts = 0;
  let everOpened = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let pingTimer: ReturnType<typeof setInterval> | null = null;
  let pongTimer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const setStatus = (s: LiveStatus) => {
    if (s === status) return;
    status = s;
    for (const l of statusListeners) l(s);
  };
  const send = (frame: unknown) => {
    if (ws?.readyState === WS.OPEN) ws.send(JSON.stringify(frame));
  };
  const subscribeFrame = (s: LiveSubscription) => {
    const since = s.since?.();
    send({ type: 'subscribe', channel: s.channel, ...(s.token ? { token: s.token } : {}), ...(since !== undefined ? { since } : {}) });
  };
  const clearTimers = () => {
    if (pingTimer) clearInterval(pingTimer);
    if (pongTimer) clearTimeout(pongTimer);
    pingTimer = pongTimer = null;
  };

  const connect = () => {
    if (stopped || subs.size === 0) return;
    if (reconnectTimer) clearTimeout(reconnectTimer);
    reconnectTimer = null;
    if (typeof navigator !== 'undefined' && !navigator.onLine) {
      setStatus('offline');
      return; // the 'online' event reconnects
    }
    setStatus(everOpened ? 'reconnecting' : 'connecting');
    const socket = new WS(url);
    ws = socket;
    socket.onopen = () => {
      attempts = 0;
      everOpened = true;
      setStatus('connected');
      for (const s of subs) subscribeFrame(s);
      pingTimer = setInterval(() => {
        send({ type: 'ping' });
        pongTimer ??= setTimeout(() => socket.close(), PONG_TIMEOUT_MS);
      }, PING_MS);
    };
    socket.onmessage = (event) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as ServerFrame;
      } catch {
        return;
      }
      if (pongTimer) {
        clearTimeout(pongTimer);
        pongTimer = null;
      }
      if (frame.type === 'pong') return;
      const channel = 'channel' in frame ? frame.channel : undefined;
      for (const s of subs) if (!channel || s.channel === channel) s.onFrame(frame);
    };
    socket.onclose = (event) => {
      if (ws !== socket) return;
      ws = null;
      clearTimers();
      if (stopped || subs.size === 0) return;
      if (NO_RECONNECT.has(event.code)) {
        setStatus('offline');
        return;
      }
      setStatus(typeof navigator !== 'undefined' && !navigator.onLine ? 'offline' : 'reconnecting');
      reconnectTimer = setTimeout(connect, backoffDelay(attempts++, 500, 30_000));
    };
    socket.onerror = () => socket.close();
  };

  if (typeof window !== 'undefined') {
    addEventListener('online', () => {
      attempts = 0;
      if (!ws) connect();
    });
    addEventListener('offline', () => {
      setStatus('offline');
      ws?.close(); // the socket may take long to notice; its subscriptions resume with `since`
    });
  }

  return {
    subscribe(subscription) {
      subs.add(subscription);
      if (!ws) connect();
      else subscribeFrame(subscription);
      return () => {
        subs.delete(subscription);
        if (![...subs].some((s) => s.channel === subscription.channel)) send({ type: 'unsubscribe', channel: subscription.channel });
        if (subs.size === 0) {
          ws?.close(1000);
          ws = null;
          clearTimers();
        }
      };
    },
    typing(channel, typing) {
      send({ type: 'typing', channel, typing });
    },
    status: () => status,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
  };
}
