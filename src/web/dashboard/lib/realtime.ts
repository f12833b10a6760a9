/**
 * The dashboard's (and debug page's) view of the shared realtime client (src/web/lib/realtime-client.ts):
 * one WebSocket to `/api/realtime` (the session cookie authenticates it), reconnecting with jittered
 * backoff, resuming ticket channels from the last message seq, pinging to find dead links. This file
 * only adds what the pages need on top: several listeners per channel, the link's state for the
 * sidebar indicator, the frame log of the debug page, and the session revocation (close code 4001).
 */

import { REALTIME_CLOSE } from '../../../contracts/realtime-constants.ts';
import {
  createRealtimeClient,
  type ChannelHandlers,
  type RealtimeClient,
  type RealtimeState,
  type RealtimeSubscription,
} from '../../lib/realtime-client.ts';

/** What the indicator shows: `closed` reads "offline, reconnecting…". */
export type ConnectionState = 'connecting' | 'open' | 'closed';
export type LoggedFrame = { at: number; direction: 'in' | 'out'; frame: Record<string, unknown> };
/** A page's handlers on one channel: onMessage, onTicket, onTyping, onPresence, onFrame (see ChannelHandlers). */
export type ChannelListener = Omit<ChannelHandlers, 'since' | 'token'>;

const STATE: Record<RealtimeState, ConnectionState> = {
  connecting: 'connecting',
  open: 'open',
  reconnecting: 'closed',
  offline: 'closed',
  closed: 'closed',
};

type Channel = { listeners: Set<ChannelListener>; since?: number; sub: RealtimeSubscription | null };

export type RealtimeConnectionOptions = { WebSocketImpl?: typeof WebSocket; reconnectBaseMs?: number };

export class RealtimeConnection {
  private client: RealtimeClient | null = null;
  private readonly channels = new Map<string, Channel>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly frameLogListeners = new Set<(entry: LoggedFrame) => void>();
  state: ConnectionState = 'closed';

  /** `onRevoked`: the server closed the socket because the session ended (logout, agent disabled). */
  constructor(
    private readonly url?: string,
    private readonly onRevoked: () => void = () => {},
    private readonly options: RealtimeConnectionOptions = {},
  ) {}

  /** Opens the socket and (re)subscribes every channel listened to. */
  start(): void {
    if (this.client) return;
    const client = createRealtimeClient({
      url: this.url,
      WebSocketImpl: this.options.WebSocketImpl,
      reconnectBaseMs: this.options.reconnectBaseMs,
      onStateChange: (state, detail) => {
        if (this.client !== client) return;
        this.setState(STATE[state]);
        if (state === 'closed' && detail?.code === REALTIME_CLOSE.revoked) this.onRevoked();
      },
      onFrameLog: (direction, frame) => {
        for (const listener of this.frameLogListeners) listener({ at: Date.now(), direction, frame });
      },
    });
    this.client = client;
    client.connect();
    for (const [name, channel] of this.channels) this.open(name, channel);
  }

  /** Closes the socket for good; start() opens a new one. */
  stop(): void {
    const client = this.client;
    if (!client) return;
    this.client = null;
    for (const channel of this.channels.values()) channel.sub = null;
    client.close();
    this.setState('closed');
  }

  /**
   * Listens to a channel; the first listener subscribes, the last one to leave unsubscribes. `since`
   * (ticket channels): the seq of the newest message the page holds, 0 when it holds none; it is read
   * from the first listener only, later ones join the live subscription.
   */
  subscribe(name: string, listener: ChannelListener, since?: number): () => void {
    let channel = this.channels.get(name);
    if (!channel) {
      channel = { listeners: new Set(), since, sub: null };
      this.channels.set(name, channel);
      this.open(name, channel);
    }
    channel.listeners.add(listener);
    const joined = channel;
    return () => {
      if (this.channels.get(name) !== joined) return;
      joined.listeners.delete(listener);
      if (joined.listeners.size > 0) return;
      this.channels.delete(name);
      joined.sub?.unsubscribe();
    };
  }

  typing(name: string, typing: boolean): void {
    this.channels.get(name)?.sub?.typing(typing);
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onFrameLog(listener: (entry: LoggedFrame) => void): () => void {
    this.frameLogListeners.add(listener);
    return () => this.frameLogListeners.delete(listener);
  }

  private open(name: string, channel: Channel): void {
    if (!this.client) return;
    const each = (call: (l: ChannelListener) => void) => {
      for (const l of [...channel.listeners]) call(l);
    };
    channel.sub = this.client.subscribe(name, {
      since: channel.since,
      onMessage: (m) => {
        // Kept for a later start(): a new socket resumes where this one stopped.
        if (channel.since !== undefined) channel.since = Math.max(channel.since, m.seq);
        each((l) => l.onMessage?.(m));
      },
      onTicket: (t, type) => each((l) => l.onTicket?.(t, type)),
      onTyping: (a, typing) => each((l) => l.onTyping?.(a, typing)),
      onPresence: (n) => each((l) => l.onPresence?.(n)),
      onError: (code, message) => each((l) => l.onError?.(code, message)),
      onFrame: (frame) => each((l) => l.onFrame?.(frame)),
    });
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}
