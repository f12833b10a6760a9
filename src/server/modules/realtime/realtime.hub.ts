import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { WebSocket, type RawData } from 'ws';
import type { Lang } from '../../../contracts/common.ts';
import {
  FRAME,
  QUEUE_CHANNEL,
  REALTIME_CLOSE,
  REALTIME_LIMITS,
  clientFrameSchema,
  orderChannel,
  orderNumberOfChannel,
  ticketChannel,
  ticketIdOfChannel,
  type ServerFrame,
  type SubscribeFrame,
} from '../../../contracts/realtime.ts';
import type { Db } from '../../db/index.ts';
import { AppError } from '../../http/app-error.ts';
import { errorBody, toAppError } from '../../http/error-handler.ts';
import type { SessionAgent } from '../agents/session-agent.ts';
import { findMessageById, listMessagesAfter, toMessage, type MessageRow } from '../messages/messages.repo.ts';
import { loadLiveOrder } from '../orders/orders.service.ts';
import { findTicketById, toTicket } from '../tickets/tickets.repo.ts';
import { BUS_EVENTS, busPublisher, publishEvent, type BusEvent } from './bus.ts';
import {
  countPresentAgents,
  deleteInstancePresence,
  deletePresence,
  findBusChannel,
  findLastMessageSeq,
  listLastMessageSeqs,
  listTicketsUpdatedSince,
  publishProbe,
  reapExpiredPresence,
  upsertPresence,
  type PresenceKey,
} from './realtime.repo.ts';
import { authorizeSubscription, resolveSince, tokenStillOpens, type SubscriptionGrant } from './realtime.service.ts';

export type HubLimits = { -readonly [K in keyof typeof REALTIME_LIMITS]: number };

export type HubOptions = {
  db: Db;
  log: FastifyBaseLogger;
  limits?: Partial<HubLimits>;
  /** How often presence rows are refreshed, expired ones reaped and the listener probed. */
  presenceHeartbeatMs?: number;
  /** A presence row not refreshed for this long belongs to a dead instance. */
  presenceTtlSeconds?: number;
  /**
   * How often the safety sweep compares each subscribed ticket's latest seq with what was delivered
   * (catches a message whose notification was never sent or was lost). Default 3 s.
   */
  sweepMs?: number;
  /**
   * The agent whose live session this Cookie header still carries, or null (ended, expired, disabled).
   * Asked again before an agent's subscription and after a listener outage, when an `agent.revoked`
   * event may have been missed; without it, the agent known at the handshake is trusted.
   */
  recheckAgent?: (cookie: string) => Promise<SessionAgent | null>;
  /** A socket without an agent that subscribes to nothing for this long is closed (WS_IDLE_SECONDS); 0: never. */
  idleMs?: number;
};

/** Who a socket belongs to, as the upgrade learnt it. */
export type SocketOwner = {
  agent: SessionAgent | null;
  lang: Lang;
  /** The handshake's Cookie header (kept for agents only: their session is checked again later). */
  cookie?: string;
  /** The client address (TRUST_PROXY applied): the key of the per-address backfill budget. */
  address: string;
};

type Subscription = {
  grant: SubscriptionGrant;
  /** A customer's ticket token, kept to check it again when the ticket's tokens change. */
  token?: string;
  /** The highest message seq sent on this channel; null until the backlog (or the start point) is known. */
  lastSeq: number | null;
  typing: boolean;
  typingAt: number;
};

/** One client socket and what it listens to. Kept small: an instance holds tens of thousands. */
class Connection {
  readonly subs = new Map<string, Subscription>();
  pending = 0;
  alive = true;
  closed = false;
  frames = 0;
  windowStart = Date.now();
  /** Since when this socket has had no subscription (what the idle close of anonymous sockets looks at). */
  idleSince = Date.now();
  /** The subscribe token bucket: tokens left at `subscribeAt`. */
  subscribeTokens: number;
  subscribeAt = Date.now();
  constructor(
    readonly hub: RealtimeHub,
    readonly ws: WebSocket,
    readonly agent: SessionAgent | null,
    readonly lang: Lang,
    /** The handshake's Cookie header, kept for agents only: their session is checked again later. */
    readonly cookie: string | undefined,
    readonly address: string,
    subscribeBurst: number,
  ) {
    this.subscribeTokens = subscribeBurst;
  }
}

/** Backlog bytes sent to one client address in the current window. */
type BackfillSpend = { windowStart: number; bytes: number };

type Target = { conn: Connection; sub: Subscription };

const kConn = Symbol('realtime-connection');
type SocketWithConn = WebSocket & { [kConn]?: Connection };

// A typing state is re-published at most this often while it stays the same (clients repeat it).
const TYPING_REPEAT_MS = 3000;
// Tickets sent to the queue after a listener outage, at most (the dashboard reloads its list anyway).
const QUEUE_BACKFILL_MAX = 1000;
// The idle check runs every idleMs / 2, and at least this often.
const IDLE_CHECK_MAX_MS = 5000;

/**
 * The realtime hub of one server instance. It LISTENs once on the database bus and fans events out to
 * its local sockets: whichever instance wrote a message, every instance hears the NOTIFY and loads the
 * row. Per ticket, work runs in one ordered chain, so each socket gets a ticket's messages in strictly
 * increasing `seq`, without gap (a gap is filled from the table) and without duplicate.
 */
export class RealtimeHub {
  readonly instanceId = randomUUID();
  private readonly db: Db;
  private readonly log: FastifyBaseLogger;
  private readonly limits: HubLimits;
  private readonly presenceHeartbeatMs: number;
  private readonly presenceTtlSeconds: number;
  private readonly recheckAgent: HubOptions['recheckAgent'];
  private readonly conns = new Set<Connection>();
  private readonly channels = new Map<string, Set<Connection>>();
  private readonly chains = new Map<string, Promise<void>>();
  /** Local sockets per `${ticketId} ${agentId}`: the presence row exists while this is above zero. */
  private readonly presenceLocal = new Map<string, number>();
  /** The agent count last sent to this instance's subscribers of a ticket. */
  private readonly presenceSent = new Map<string, number>();
  private busChannel = '';
  private unlisten: (() => Promise<void>) | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private presenceTimer: NodeJS.Timeout | null = null;
  private readonly sweepMs: number;
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping = false;
  /** Database time before which every bus event is known to have been heard (from our own probes). */
  private confirmedAt: Date | null = null;
  private closing = false;
  private lastBeat = Date.now();
  private readonly idleMs: number;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly backfillSpent = new Map<string, BackfillSpend>();

  constructor(options: HubOptions) {
    this.db = options.db;
    this.log = options.log;
    this.limits = { ...REALTIME_LIMITS, ...options.limits };
    this.presenceHeartbeatMs = options.presenceHeartbeatMs ?? 10_000;
    this.presenceTtlSeconds = options.presenceTtlSeconds ?? 30;
    this.sweepMs = options.sweepMs ?? 3000;
    this.recheckAgent = options.recheckAgent;
    this.idleMs = options.idleMs ?? 0;
  }

  get isClosing() {
    return this.closing;
  }

  /** Frames received from and sent to clients since start (for /metrics). */
  readonly frames = { received: 0, sent: 0 };

  /** Number of open sockets (for tests and metrics). */
  get size() {
    return this.conns.size;
  }

  async start(): Promise<void> {
    this.busChannel = await findBusChannel(this.db);
    const { rows } = await this.db.query<{ now: Date }>('SELECT now() AS now');
    this.confirmedAt = rows[0]!.now;
    this.unlisten = await this.db.listen(
      this.busChannel,
      (payload) => this.onNotification(payload),
      () => this.onListenerReconnect(),
    );
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.limits.heartbeatMs);
    this.heartbeatTimer.unref();
    this.presenceTimer = setInterval(() => void this.presenceHeartbeat(), this.presenceHeartbeatMs);
    this.presenceTimer.unref();
    this.sweepTimer = setInterval(() => void this.sweep(), this.sweepMs);
    this.sweepTimer.unref();
    if (this.idleMs > 0) {
      // One timer for every socket (not one each): an idle socket goes within 1.5 × idleMs at most.
      this.idleTimer = setInterval(() => this.closeIdle(), Math.min(this.idleMs / 2, IDLE_CHECK_MAX_MS));
      this.idleTimer.unref();
    }
    // Events this process publishes after commit (messages.service.ts) log through the app's logger.
    busPublisher(this.db).log ??= this.log;
  }

  /** Takes over an upgraded socket. */
  attach(ws: WebSocket, owner: SocketOwner): void {
    const { agent, lang, cookie, address } = owner;
    const conn = new Connection(this, ws, agent, lang, agent ? cookie : undefined, address, this.limits.subscribeBurst);
    (ws as SocketWithConn)[kConn] = conn;
    this.conns.add(conn);
    ws.on('message', onSocketMessage);
    ws.on('pong', onSocketPong);
    ws.on('close', onSocketClose);
    ws.on('error', onSocketError);
    if (this.closing) ws.close(REALTIME_CLOSE.goingAway);
  }

  /** Closes every socket (1001) and waits a little for them to go; called before the HTTP server closes. */
  async closeSockets(graceMs = 1000): Promise<void> {
    this.closing = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.presenceTimer) clearInterval(this.presenceTimer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    if (this.idleTimer) clearInterval(this.idleTimer);
    const open = [...this.conns];
    await Promise.all(
      open.map(
        (conn) =>
          new Promise<void>((resolve) => {
            if (conn.ws.readyState === WebSocket.CLOSED) return resolve();
            const timer = setTimeout(() => {
              conn.ws.terminate();
              resolve();
            }, graceMs);
            conn.ws.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            conn.ws.close(REALTIME_CLOSE.goingAway, 'server shutting down');
          }),
      ),
    );
  }

  /** Releases the LISTEN and this instance's presence rows; the database must still be open. */
  async stop(): Promise<void> {
    this.closing = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    // Events of messages committed by this process go out before the database closes.
    await busPublisher(this.db).flush();
    await Promise.allSettled([...this.chains.values()]);
    const unlisten = this.unlisten;
    this.unlisten = null;
    await unlisten?.().catch((err) => this.log.warn({ err }, 'realtime: unlisten failed'));
    try {
      const tickets = await deleteInstancePresence(this.db, this.instanceId);
      for (const ticketId of tickets) await publishEvent(this.db, { type: BUS_EVENTS.presenceChanged, ticketId });
    } catch (err) {
      this.log.warn({ err }, 'realtime: could not clear presence');
    }
  }

  // ---- client frames ----

  handleRaw(conn: Connection, data: RawData, isBinary: boolean): void {
    conn.alive = true;
    if (!this.countFrame(conn)) return;
    if (isBinary) return this.sendError(conn, new AppError('invalid_request', { reason: 'realtime_invalid_frame' }));
    let json: unknown;
    try {
      json = JSON.parse(rawToString(data));
    } catch {
      return this.sendError(conn, new AppError('invalid_request', { reason: 'realtime_invalid_frame' }));
    }
    const parsed = clientFrameSchema.safeParse(json);
    if (!parsed.success) {
      const channel = typeof (json as { channel?: unknown })?.channel === 'string' ? (json as { channel: string }).channel : undefined;
      return this.sendError(
        conn,
        new AppError('invalid_request', {
          reason: 'realtime_invalid_frame',
          details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        }),
        channel?.slice(0, 64),
      );
    }
    const frame = parsed.data;
    if ('channel' in frame) frame.channel = canonicalChannel(frame.channel);
    switch (frame.type) {
      case FRAME.subscribe:
        if (!this.takeSubscribeToken(conn)) {
          return this.sendError(conn, new AppError('rate_limited', { reason: 'realtime_subscribe_rate_limited' }), frame.channel);
        }
        void this.subscribe(conn, frame).catch((err) => this.sendError(conn, err, frame.channel));
        return;
      case FRAME.unsubscribe:
        this.unsubscribe(conn, frame.channel, true);
        return;
      case FRAME.typing:
        this.typing(conn, frame.channel, frame.typing);
        return;
      case FRAME.ping:
        this.send(conn, JSON.stringify({ type: FRAME.pong } satisfies ServerFrame));
        return;
    }
  }

  private countFrame(conn: Connection): boolean {
    const now = Date.now();
    if (now - conn.windowStart > this.limits.frameWindowMs) {
      conn.windowStart = now;
      conn.frames = 0;
    }
    conn.frames += 1;
    if (conn.frames <= this.limits.maxFramesPerWindow) return true;
    if (conn.frames === this.limits.maxFramesPerWindow + 1) {
      this.sendError(conn, new AppError('rate_limited', { reason: 'realtime_rate_limited' }));
      conn.ws.close(REALTIME_CLOSE.rateLimited, 'too many frames');
    }
    return false;
  }

  /**
   * The per-socket subscribe bucket: every subscribe may cost a backlog read, so a socket re-subscribing
   * in a loop is refused (rate_limited) once its burst is spent, until tokens come back.
   */
  private takeSubscribeToken(conn: Connection): boolean {
    const now = Date.now();
    conn.subscribeTokens = Math.min(this.limits.subscribeBurst, conn.subscribeTokens + (now - conn.subscribeAt) / this.limits.subscribeRefillMs);
    conn.subscribeAt = now;
    if (conn.subscribeTokens < 1) return false;
    conn.subscribeTokens -= 1;
    return true;
  }

  /** The address's backlog spend in the current window (a new window starts empty). */
  private backfillSpend(address: string): BackfillSpend {
    const now = Date.now();
    let spend = this.backfillSpent.get(address);
    if (!spend || now - spend.windowStart >= this.limits.backfillWindowMs) {
      spend = { windowStart: now, bytes: 0 };
      this.backfillSpent.set(address, spend);
    }
    return spend;
  }

  private backfillExhausted(address: string): boolean {
    return this.backfillSpend(address).bytes >= this.limits.backfillBytesPerWindow;
  }

  /** Whether a lagging subscriber may be sent the next backlog rows now (else the sweep resumes it). */
  private mayBackfill(conn: Connection): boolean {
    return conn.ws.bufferedAmount <= this.limits.backfillHighWaterBytes && !this.backfillExhausted(conn.address);
  }

  private async subscribe(conn: Connection, frame: SubscribeFrame): Promise<void> {
    if (this.closing) return;
    if (!conn.subs.has(frame.channel) && conn.subs.size + conn.pending >= this.limits.maxSubscriptions) {
      throw new AppError('invalid_request', { reason: 'realtime_too_many_subscriptions' });
    }
    // Refused before any database work: this address was sent its share of backlogs for now.
    if (frame.since !== undefined && this.backfillExhausted(conn.address)) {
      const spend = this.backfillSpend(conn.address);
      throw new AppError('rate_limited', {
        reason: 'realtime_backfill_limited',
        retryAfterSeconds: Math.ceil((spend.windowStart + this.limits.backfillWindowMs - Date.now()) / 1000),
      });
    }
    conn.pending += 1;
    let grant: SubscriptionGrant;
    let since: number | null = null;
    let agentLive = true;
    try {
      grant = await authorizeSubscription({ db: this.db, channel: frame.channel, token: frame.token, agent: conn.agent });
      // The session may have ended since the handshake (its agent.revoked missed, or it expired).
      if (grant.kind !== 'order' && grant.side === 'agent') agentLive = await this.agentStillLive(conn);
      if (agentLive && grant.kind === 'ticket' && frame.since !== undefined) since = await resolveSince(this.db, grant.ticketId, frame.since);
    } finally {
      conn.pending -= 1;
    }
    if (!agentLive) return this.revoke(conn);
    if (conn.closed || this.closing) return;
    // Subscribing again restarts the subscription (a client resuming from another point).
    if (conn.subs.has(grant.channel)) this.unsubscribe(conn, grant.channel, false);

    // Registered before the backlog is read: whatever commits from now on reaches this socket live,
    // whatever committed before is in the backlog, and seq removes the overlap.
    const sub: Subscription = { grant, lastSeq: null, typing: false, typingAt: 0 };
    if (grant.kind === 'ticket' && grant.side === 'customer') sub.token = frame.token;
    conn.subs.set(grant.channel, sub);
    let members = this.channels.get(grant.channel);
    if (!members) this.channels.set(grant.channel, (members = new Set()));
    members.add(conn);
    this.send(conn, JSON.stringify({ type: FRAME.subscribed, channel: grant.channel } satisfies ServerFrame));

    if (grant.kind === 'order') {
      // The state at subscription time first: nothing between the widget's lookup and now is missed.
      this.enqueue(grant.channel, () => this.sendOrder(grant.orderNumber, [conn]));
      return;
    }
    if (grant.kind !== 'ticket') return;
    const { ticketId } = grant;
    this.enqueue(ticketId, () => this.startSubscription(conn, sub, ticketId, since));
    if (grant.side === 'agent' && conn.agent) this.presenceJoin(ticketId, conn.agent.id);
    this.enqueue(presenceChain(ticketId), () => this.sendPresenceTo(conn, sub, ticketId));
  }

  private async startSubscription(conn: Connection, sub: Subscription, ticketId: string, since: number | null) {
    if (conn.subs.get(sub.grant.channel) !== sub) return;
    if (since === null) {
      sub.lastSeq = (await findLastMessageSeq(this.db, ticketId)) ?? 0;
      return;
    }
    sub.lastSeq = since;
    await this.catchUp(ticketId, [{ conn, sub }]);
  }

  private unsubscribe(conn: Connection, channel: string, confirm: boolean): void {
    const sub = conn.subs.get(channel);
    if (sub) {
      conn.subs.delete(channel);
      if (conn.subs.size === 0) conn.idleSince = Date.now();
      const members = this.channels.get(channel);
      members?.delete(conn);
      if (members && members.size === 0) {
        this.channels.delete(channel);
        if (sub.grant.kind === 'ticket') this.presenceSent.delete(sub.grant.ticketId);
      }
      if (sub.grant.kind === 'ticket') {
        if (sub.typing) this.publishTyping(sub.grant.ticketId, sub.grant.side, false);
        if (sub.grant.side === 'agent' && conn.agent) this.presenceLeave(sub.grant.ticketId, conn.agent.id);
      }
    }
    if (confirm) this.send(conn, JSON.stringify({ type: FRAME.unsubscribed, channel } satisfies ServerFrame));
  }

  private typing(conn: Connection, channel: string, typing: boolean): void {
    const sub = conn.subs.get(channel);
    if (!sub || sub.grant.kind !== 'ticket') {
      return this.sendError(conn, new AppError('forbidden', { reason: 'realtime_not_subscribed' }), channel);
    }
    const now = Date.now();
    if (sub.typing === typing && now - sub.typingAt < TYPING_REPEAT_MS) return;
    sub.typing = typing;
    sub.typingAt = now;
    this.publishTyping(sub.grant.ticketId, sub.grant.side, typing);
  }

  private publishTyping(ticketId: string, side: 'customer' | 'agent', typing: boolean): void {
    const authorType = side === 'customer' ? 'user' : 'agent';
    publishEvent(this.db, { type: BUS_EVENTS.typing, ticketId, authorType, typing }).catch((err) =>
      this.log.warn({ err }, 'realtime: typing not published'),
    );
  }

  /** Whether the agent of this connection still has a live session (true when nothing can tell). */
  private async agentStillLive(conn: Connection): Promise<boolean> {
    if (!conn.agent || conn.cookie === undefined || !this.recheckAgent) return true;
    const agent = await this.recheckAgent(conn.cookie);
    return agent?.id === conn.agent.id;
  }

  /** Closes an agent's socket whose session ended: the client must not reconnect with it. */
  private revoke(conn: Connection): void {
    conn.ws.close(REALTIME_CLOSE.revoked, 'session revoked');
  }

  /** After a listener outage: closes the sockets of agents whose session ended meanwhile. */
  private async recheckAgents(): Promise<void> {
    for (const conn of [...this.conns]) {
      if (conn.closed || !conn.agent) continue;
      try {
        if (!(await this.agentStillLive(conn))) this.revoke(conn);
      } catch (err) {
        this.log.warn({ err }, 'realtime: agent session re-check failed');
      }
    }
  }

  /** Ends the customer subscriptions of a ticket whose token no longer opens it (a new token was issued). */
  private async recheckTokens(ticketId: string): Promise<void> {
    const channel = ticketChannel(ticketId);
    for (const { conn, sub } of this.targets(channel)) {
      if (sub.grant.kind !== 'ticket' || sub.grant.side !== 'customer') continue;
      if (await tokenStillOpens(this.db, ticketId, sub.token)) continue;
      if (conn.subs.get(channel) !== sub) continue;
      this.unsubscribe(conn, channel, false);
      this.sendError(conn, new AppError('unauthorized', { reason: 'realtime_token_revoked' }), channel);
    }
  }

  /** Closes the sockets without an agent that have followed nothing for idleMs: they only hold a slot. */
  private closeIdle(): void {
    const before = Date.now() - this.idleMs;
    for (const conn of this.conns) {
      if (conn.agent || conn.closed || conn.subs.size > 0 || conn.pending > 0 || conn.idleSince > before) continue;
      conn.ws.close(REALTIME_CLOSE.idle, 'idle');
    }
  }

  onSocketClose(conn: Connection): void {
    conn.closed = true;
    this.conns.delete(conn);
    for (const channel of [...conn.subs.keys()]) this.unsubscribe(conn, channel, false);
  }

  // ---- bus events ----

  private onNotification(payload: string): void {
    let event: BusEvent;
    try {
      event = JSON.parse(payload) as BusEvent;
    } catch {
      this.log.warn({ payload: payload.slice(0, 200) }, 'realtime: unreadable bus event');
      return;
    }
    switch (event.type) {
      case BUS_EVENTS.messageCreated: {
        const { ticketId, seq, messageId } = event;
        if (this.channels.has(ticketChannel(ticketId))) {
          this.enqueue(ticketId, () => this.catchUp(ticketId, this.targets(ticketChannel(ticketId)), { seq, messageId }));
        }
        // A new message moves the ticket in the agents' list (updated_at).
        if (this.channels.has(QUEUE_CHANNEL)) this.enqueue(ticketId, () => this.sendTicket(ticketId, FRAME.ticketUpdated, false));
        return;
      }
      case BUS_EVENTS.ticketCreated:
        if (this.channels.has(QUEUE_CHANNEL)) {
          this.enqueue(event.ticketId, () => this.sendTicket(event.ticketId, FRAME.ticketCreated, false));
        }
        return;
      case BUS_EVENTS.ticketUpdated:
        if (this.channels.has(QUEUE_CHANNEL) || this.channels.has(ticketChannel(event.ticketId))) {
          this.enqueue(event.ticketId, () => this.sendTicket(event.ticketId, FRAME.ticketUpdated, true));
        }
        return;
      case BUS_EVENTS.typing:
        this.relayTyping(event.ticketId, event.authorType, event.typing);
        return;
      case BUS_EVENTS.presenceChanged:
        if (this.channels.has(ticketChannel(event.ticketId))) {
          this.enqueue(presenceChain(event.ticketId), () => this.recountPresence(event.ticketId));
        }
        return;
      case BUS_EVENTS.orderUpdated: {
        const channel = orderChannel(event.orderNumber);
        if (this.channels.has(channel)) this.enqueue(channel, () => this.sendOrder(event.orderNumber));
        return;
      }
      case BUS_EVENTS.agentRevoked:
        for (const conn of this.conns) {
          if (conn.agent?.id !== event.agentId) continue;
          if (!event.recheck) this.revoke(conn);
          else
            void this.agentStillLive(conn).then(
              (live) => live || this.revoke(conn),
              (err) => this.log.warn({ err }, 'realtime: agent session re-check failed'),
            );
        }
        return;
      case BUS_EVENTS.ticketTokenRevoked: {
        const channel = ticketChannel(event.ticketId);
        if (this.channels.has(channel)) this.enqueue(event.ticketId, () => this.recheckTokens(event.ticketId));
        return;
      }
      case BUS_EVENTS.probe:
        if (event.instanceId === this.instanceId) this.confirmedAt = new Date(event.at);
        return;
    }
  }

  /** The listener's connection came back: send each subscriber what committed while it was down. */
  private onListenerReconnect(): void {
    if (this.closing) return;
    const since = this.confirmedAt;
    this.log.info({ since }, 'realtime: bus listener reconnected, backfilling');
    // An agent.revoked sent while the listener was down is lost: ask the sessions themselves.
    void this.recheckAgents();
    for (const channel of this.channels.keys()) {
      const orderNumber = orderNumberOfChannel(channel);
      if (orderNumber) this.enqueue(channel, () => this.sendOrder(orderNumber));
      const ticketId = ticketIdOfChannel(channel);
      if (!ticketId) continue;
      this.enqueue(ticketId, () => this.catchUp(ticketId, this.targets(channel)));
      this.enqueue(presenceChain(ticketId), () => this.recountPresence(ticketId));
    }
    if (since && this.channels.has(QUEUE_CHANNEL)) {
      this.enqueue(QUEUE_CHANNEL, async () => {
        const rows = await listTicketsUpdatedSince(this.db, since, QUEUE_BACKFILL_MAX);
        for (const row of rows) this.broadcast(QUEUE_CHANNEL, frameString(FRAME.ticketUpdated, QUEUE_CHANNEL, { ticket: toTicket(row) }));
      });
    }
    void this.presenceHeartbeat();
  }

  /**
   * The safety net under NOTIFY: one query for every ticket this instance has subscribers on, and a
   * catch-up (from the table, in seq order) for each ticket whose latest seq is past what a subscriber
   * got. Covers a notification never sent (the writer died between COMMIT and NOTIFY) or lost. Nothing
   * subscribed, no query.
   */
  private async sweep(): Promise<void> {
    if (this.closing || this.sweeping) return;
    const windowStart = Date.now() - this.limits.backfillWindowMs;
    for (const [address, spend] of this.backfillSpent) if (spend.windowStart <= windowStart) this.backfillSpent.delete(address);
    const delivered = new Map<string, number>();
    for (const channel of this.channels.keys()) {
      const ticketId = ticketIdOfChannel(channel);
      if (!ticketId) continue;
      for (const { sub } of this.targets(channel)) {
        if (sub.lastSeq === null) continue;
        delivered.set(ticketId, Math.min(delivered.get(ticketId) ?? sub.lastSeq, sub.lastSeq));
      }
    }
    if (delivered.size === 0) return;
    this.sweeping = true;
    try {
      for (const { id, last_message_seq } of await listLastMessageSeqs(this.db, [...delivered.keys()])) {
        if (last_message_seq <= delivered.get(id)!) continue;
        this.enqueue(id, () => this.catchUp(id, this.targets(ticketChannel(id))));
      }
    } catch (err) {
      this.log.warn({ err }, 'realtime: safety sweep failed');
    } finally {
      this.sweeping = false;
    }
  }

  private targets(channel: string): Target[] {
    const members = this.channels.get(channel);
    if (!members) return [];
    const out: Target[] = [];
    for (const conn of members) {
      const sub = conn.subs.get(channel);
      if (sub) out.push({ conn, sub });
    }
    return out;
  }

  /**
   * Sends each target the messages after its lastSeq, in seq order. With a hint (the event just heard)
   * and every target exactly one behind it, the one row is loaded by id; otherwise (a resume, a gap, a
   * reconnect) the missing range is read from the table.
   */
  private async catchUp(ticketId: string, all: Target[], hint?: { seq: number; messageId: string }): Promise<void> {
    const behind = (t: Target) =>
      !t.conn.closed && t.sub.lastSeq !== null && t.conn.subs.get(t.sub.grant.channel) === t.sub && (hint ? t.sub.lastSeq < hint.seq : true);
    let targets = all.filter(behind);
    if (targets.length === 0) return;
    let from = Math.min(...targets.map((t) => t.sub.lastSeq!));
    if (hint && from === hint.seq - 1) {
      const row = await findMessageById(this.db, hint.messageId);
      if (row) {
        this.deliver(ticketId, targets.filter(behind), [row]);
        return;
      }
    }
    // Page by page, each target only while its send buffer is low and its address has backlog budget
    // left: a paused one keeps its lastSeq and is resumed by the sweep, so it gets everything, in order.
    for (;;) {
      targets = targets.filter((t) => behind(t) && this.mayBackfill(t.conn));
      if (targets.length === 0) return;
      from = Math.min(...targets.map((t) => t.sub.lastSeq!));
      const rows = await listMessagesAfter(this.db, ticketId, from, this.limits.backlogPage);
      this.deliver(ticketId, targets.filter(behind), rows, true);
      if (rows.length < this.limits.backlogPage) return;
    }
  }

  /** `backlog`: rows read from the table, counted against each address's budget and paced by its buffer. */
  private deliver(ticketId: string, targets: Target[], rows: MessageRow[], backlog = false): void {
    const channel = ticketChannel(ticketId);
    // A target paused in this page stays paused for the rest of it: a later row would leave a gap.
    const paused = new Set<Target>();
    for (const row of rows) {
      // Each side sees the message as it would over REST: client_id only on messages its side wrote.
      const frames: Partial<Record<'customer' | 'agent', string>> = {};
      for (const t of targets) {
        if (t.conn.closed || t.sub.lastSeq === null || t.sub.lastSeq >= row.seq || paused.has(t)) continue;
        if (backlog && !this.mayBackfill(t.conn)) {
          paused.add(t);
          continue;
        }
        const reader = t.sub.grant.kind === 'ticket' ? t.sub.grant.side : 'customer';
        const frame = (frames[reader] ??= frameString(FRAME.messageCreated, channel, { message: toMessage(row, reader) }));
        if (backlog) this.backfillSpend(t.conn.address).bytes += Buffer.byteLength(frame);
        t.sub.lastSeq = row.seq;
        this.send(t.conn, frame);
      }
    }
  }

  private async sendTicket(ticketId: string, type: typeof FRAME.ticketCreated | typeof FRAME.ticketUpdated, toTicketChannel: boolean) {
    const channel = ticketChannel(ticketId);
    const toQueue = this.channels.has(QUEUE_CHANNEL);
    const toSubs = toTicketChannel && this.channels.has(channel);
    if (!toQueue && !toSubs) return;
    const row = await findTicketById(this.db, ticketId);
    if (!row) return;
    // Customers receive exactly the contract's ticket shape, never internal columns.
    const ticket = toTicket(row);
    if (toQueue) this.broadcast(QUEUE_CHANNEL, frameString(type, QUEUE_CHANNEL, { ticket }));
    if (toSubs) this.broadcast(channel, frameString(FRAME.ticketUpdated, channel, { ticket }));
  }

  /**
   * Sends an order's current state to its subscribers (or to `only`). A subscriber whose token no longer
   * matches (the order's e-mail changed) gets an error and is unsubscribed instead.
   */
  private async sendOrder(orderNumber: string, only?: Connection[]): Promise<void> {
    const channel = orderChannel(orderNumber);
    const members = only ?? [...(this.channels.get(channel) ?? [])];
    if (!members.length) return;
    const live = await loadLiveOrder(this.db, orderNumber);
    let frame: string | null = null;
    for (const conn of members) {
      const sub = conn.subs.get(channel);
      if (conn.closed || !sub || sub.grant.kind !== 'order') continue;
      if (!live || !live.tokenMatches(sub.grant.token)) {
        this.unsubscribe(conn, channel, false);
        this.sendError(conn, new AppError('not_found', { reason: 'order_not_found' }), channel);
        continue;
      }
      frame ??= frameString(FRAME.orderUpdated, channel, { order: live.order });
      this.send(conn, frame);
    }
  }

  private relayTyping(ticketId: string, authorType: 'user' | 'agent', typing: boolean): void {
    const channel = ticketChannel(ticketId);
    const members = this.channels.get(channel);
    if (!members) return;
    // Only the other side hears it: a customer's typing goes to agents, an agent's to the customer.
    const audience = authorType === 'user' ? 'agent' : 'customer';
    const frame = JSON.stringify({ type: FRAME.typing, channel, author_type: authorType, typing } satisfies ServerFrame);
    for (const conn of members) {
      const sub = conn.subs.get(channel);
      if (sub && sub.grant.kind === 'ticket' && sub.grant.side === audience) this.send(conn, frame);
    }
  }

  // ---- presence ----

  private presenceJoin(ticketId: string, agentId: string): void {
    const key = `${ticketId} ${agentId}`;
    const count = this.presenceLocal.get(key) ?? 0;
    this.presenceLocal.set(key, count + 1);
    if (count > 0) return;
    this.enqueue(presenceChain(ticketId), async () => {
      await upsertPresence(this.db, this.instanceId, [{ ticketId, agentId }], this.presenceTtlSeconds);
      await publishEvent(this.db, { type: BUS_EVENTS.presenceChanged, ticketId });
    });
  }

  private presenceLeave(ticketId: string, agentId: string): void {
    const key = `${ticketId} ${agentId}`;
    const count = this.presenceLocal.get(key) ?? 0;
    if (count > 1) {
      this.presenceLocal.set(key, count - 1);
      return;
    }
    this.presenceLocal.delete(key);
    // On shutdown stop() removes every row of this instance at once.
    if (this.closing) return;
    this.enqueue(presenceChain(ticketId), async () => {
      await deletePresence(this.db, this.instanceId, { ticketId, agentId });
      await publishEvent(this.db, { type: BUS_EVENTS.presenceChanged, ticketId });
    });
  }

  private async sendPresenceTo(conn: Connection, sub: Subscription, ticketId: string): Promise<void> {
    if (conn.closed || conn.subs.get(sub.grant.channel) !== sub) return;
    const agents = await countPresentAgents(this.db, ticketId);
    this.send(conn, JSON.stringify({ type: FRAME.presence, channel: ticketChannel(ticketId), agents } satisfies ServerFrame));
  }

  private async recountPresence(ticketId: string): Promise<void> {
    const channel = ticketChannel(ticketId);
    if (!this.channels.has(channel)) return;
    const agents = await countPresentAgents(this.db, ticketId);
    if (this.presenceSent.get(ticketId) === agents) return;
    this.presenceSent.set(ticketId, agents);
    this.broadcast(channel, JSON.stringify({ type: FRAME.presence, channel, agents } satisfies ServerFrame));
  }

  /** Refreshes this instance's rows, reaps those of dead instances, and probes the listener. */
  private async presenceHeartbeat(): Promise<void> {
    if (this.closing) return;
    try {
      const keys: PresenceKey[] = [...this.presenceLocal.keys()].map((k) => {
        const [ticketId, agentId] = k.split(' ') as [string, string];
        return { ticketId, agentId };
      });
      await upsertPresence(this.db, this.instanceId, keys, this.presenceTtlSeconds);
      for (const ticketId of await reapExpiredPresence(this.db)) {
        await publishEvent(this.db, { type: BUS_EVENTS.presenceChanged, ticketId });
      }
      await publishProbe(this.db, this.instanceId);
    } catch (err) {
      this.log.warn({ err }, 'realtime: presence heartbeat failed');
    }
  }

  // ---- sockets ----

  /** Pings every socket; one that did not answer the previous ping is dropped. */
  private heartbeat(): void {
    // A tick much later than planned means this process was stalled (a long query on the embedded
    // database, a busy machine): its clients had no chance to answer, so nobody is dropped this round.
    const now = Date.now();
    const stalled = now - this.lastBeat > this.limits.heartbeatMs * 1.5;
    this.lastBeat = now;
    // Decide after this loop turn's I/O, so that pongs which arrived meanwhile are read first.
    setImmediate(() => this.checkAlive(stalled));
  }

  private checkAlive(stalled: boolean): void {
    for (const conn of this.conns) {
      if (!conn.alive && !stalled) {
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
  }

  private broadcast(channel: string, frame: string): void {
    const members = this.channels.get(channel);
    if (members) for (const conn of members) this.send(conn, frame);
  }

  private send(conn: Connection, frame: string): void {
    const ws = conn.ws;
    if (ws.readyState !== WebSocket.OPEN) return;
    // A client that does not read must not make the server buffer without bound: cut it off.
    if (ws.bufferedAmount > this.limits.maxBufferedBytes) {
      this.log.info({ buffered: ws.bufferedAmount }, 'realtime: slow consumer cut off');
      ws.terminate();
      return;
    }
    ws.send(frame);
    this.frames.sent++;
  }

  private sendError(conn: Connection, err: unknown, channel?: string): void {
    const appError = toAppError(err);
    if (appError.status >= 500) this.log.error({ err }, 'realtime: frame failed');
    const { error } = errorBody(appError, conn.lang);
    const frame: ServerFrame = { type: FRAME.error, code: error.code, message: error.message };
    if (channel !== undefined) frame.channel = channel;
    this.send(conn, JSON.stringify(frame));
  }

  /** Runs task after every earlier task of the same key (a ticket), so its events stay in order. */
  private enqueue(key: string, task: () => Promise<void>): void {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(task).catch((err) => this.log.warn({ err, key }, 'realtime: event handling failed'));
    this.chains.set(key, next);
    void next.then(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }
}

function presenceChain(ticketId: string) {
  return `presence:${ticketId}`;
}

/** `ticket:<id>` with the id lower-cased, as events name it; other names unchanged. */
function canonicalChannel(channel: string): string {
  const ticketId = ticketIdOfChannel(channel);
  if (ticketId) return ticketChannel(ticketId);
  const orderNumber = orderNumberOfChannel(channel);
  return orderNumber ? orderChannel(orderNumber) : channel;
}

function frameString(type: string, channel: string, body: Record<string, unknown>): string {
  return JSON.stringify({ type, channel, ...body });
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

// Shared listeners (`this` is the socket): no closure per connection.
function onSocketMessage(this: SocketWithConn, data: RawData, isBinary: boolean) {
  const conn = this[kConn];
  if (!conn) return;
  conn.hub.frames.received++;
  conn.hub.handleRaw(conn, data, isBinary);
}
function onSocketPong(this: SocketWithConn) {
  const conn = this[kConn];
  if (conn) conn.alive = true;
}
function onSocketClose(this: SocketWithConn) {
  const conn = this[kConn];
  conn?.hub.onSocketClose(conn);
}
function onSocketError(this: SocketWithConn) {
  // 'close' follows; an error on one socket is that client's problem, not the server's.
  this.terminate();
}
