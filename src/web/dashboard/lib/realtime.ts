/**
 * The dashboard's one WebSocket to `/api/realtime` (the session cookie authenticates it): subscriptions
 * survive reconnects (re-sent, with `since` for ticket channels so nothing is missed), and every frame
 * is handed to the listeners of its channel and to the frame log (the debug page's event log).
 */

import { FRAME, REALTIME_CLOSE, REALTIME_PATH } from '../../../contracts/realtime.ts';

export type ConnectionState = 'connecting' | 'open' | 'closed';

/** A server frame as the contract describes it; fields beyond `type` depend on the type. */
export type ServerFrame = { type: string; channel?: string; [key: string]: unknown };
export type FrameListener = (frame: ServerFrame) => void;
export type LoggedFrame = { at: number; direction: 'in' | 'out'; frame: Record<string, unknown> };

type Subscription = { listeners: Set<FrameListener>; since: () => string | undefined };

const RECONNECT_BASE_MS = 500;
const RECONNECT_MAX_MS = 15_000;
/** Browsers cannot see WebSocket pings: an application ping unanswered this long means a dead link. */
const PING_EVERY_MS = 25_000;
const PONG_WITHIN_MS = 10_000;

export class RealtimeConnection {
  private socket: WebSocket | null = null;
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly frameLogListeners = new Set<(entry: LoggedFrame) => void>();
  private attempts = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private pongTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  state: ConnectionState = 'closed';

  /** `onRevoked`: the server closed the socket because the session ended (logout, agent disabled). */
  constructor(
    private readonly url: string = defaultUrl(),
    private readonly onRevoked: () => void = () => {},
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    this.stopPing();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.socket?.close();
    this.socket = null;
    this.setState('closed');
  }

  /** Listens to a channel; the first listener subscribes, the last one to leave unsubscribes. */
  subscribe(channel: string, listener: FrameListener, since: () => string | undefined = () => undefined): () => void {
    let sub = this.subscriptions.get(channel);
    if (!sub) {
      sub = { listeners: new Set(), since };
      this.subscriptions.set(channel, sub);
      this.sendSubscribe(channel, sub);
    }
    sub.listeners.add(listener);
    return () => {
      const current = this.subscriptions.get(channel);
      if (!current) return;
      current.listeners.delete(listener);
      if (current.listeners.size === 0) {
        this.subscriptions.delete(channel);
        this.send({ type: FRAME.unsubscribe, channel });
      }
    };
  }

  typing(channel: string, typing: boolean): void {
    this.send({ type: FRAME.typing, channel, typing });
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onFrameLog(listener: (entry: LoggedFrame) => void): () => void {
    this.frameLogListeners.add(listener);
    return () => this.frameLogListeners.delete(listener);
  }

  private open(): void {
    this.setState('connecting');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempts = 0;
      this.setState('open');
      this.startPing();
      for (const [channel, sub] of this.subscriptions) this.sendSubscribe(channel, sub);
    };
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopPing();
      this.setState('closed');
      if (event.code === REALTIME_CLOSE.revoked) {
        this.stopped = true;
        this.onRevoked();
        return;
      }
      if (!this.stopped) this.scheduleReconnect();
    };
  }

  private startPing(): void {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      this.send({ type: FRAME.ping });
      if (!this.pongTimer) this.pongTimer = setTimeout(() => this.socket?.close(), PONG_WITHIN_MS);
    }, PING_EVERY_MS);
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.pongTimer) clearTimeout(this.pongTimer);
    this.pingTimer = null;
    this.pongTimer = null;
  }

  private scheduleReconnect(): void {
    const delay = Math.min(RECONNECT_BASE_MS * 2 ** this.attempts, RECONNECT_MAX_MS) * (0.5 + Math.random() / 2);
    this.attempts += 1;
    this.reconnectTimer = setTimeout(() => this.open(), delay);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: ServerFrame;
    try {
      const parsed: unknown = JSON.parse(data);
      if (!parsed || typeof parsed !== 'object' || typeof (parsed as ServerFrame).type !== 'string') return;
      frame = parsed as ServerFrame;
    } catch {
      return;
    }
    if (frame.type === FRAME.pong) {
      if (this.pongTimer) clearTimeout(this.pongTimer);
      this.pongTimer = null;
      return;
    }
    this.log('in', frame);
    const listeners = frame.channel ? this.subscriptions.get(frame.channel)?.listeners : undefined;
    if (listeners) for (const listener of [...listeners]) listener(frame);
  }

  private sendSubscribe(channel: string, sub: Subscription): void {
    const since = sub.since();
    this.send({ type: FRAME.subscribe, channel, ...(since ? { since } : {}) });
  }

  private send(frame: Record<string, unknown>): void {
    if (this.socket?.readyState !== WebSocket.OPEN) return;
    this.socket.send(JSON.stringify(frame));
    if (frame.type !== FRAME.ping) this.log('out', frame);
  }

  private log(direction: 'in' | 'out', frame: Record<string, unknown>): void {
    for (const listener of this.frameLogListeners) listener({ at: Date.now(), direction, frame });
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}

function defaultUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${REALTIME_PATH}`;
}
