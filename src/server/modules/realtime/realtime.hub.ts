import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { REALTIME_LIMITS } from '../../../contracts/realtime.ts';
import type { Db } from '../../db/index.ts';
import { busPublisher } from '../../events/bus.ts';
import type { SessionAgent } from '../agents/index.ts';
import { BusEvents } from './bus-events.ts';
import { Channels } from './channels.ts';
import { ClientFrames } from './client-frames.ts';
import type { Connection, ConnectionHandler, HubContext, HubLimits, SocketOwner } from './connection.ts';
import { Connections } from './connections.ts';
import { FrameLimits } from './frame-limits.ts';
import { OrderUpdates } from './order-updates.ts';
import { MessageDelivery, TaskChains } from './ordered-delivery.ts';
import { Presence } from './presence.ts';
import { findBusChannel } from './realtime.repo.ts';
import { Recovery } from './recovery.ts';
import { Subscriptions } from './subscriptions.ts';
import { TeamAlerts } from './team-alerts.ts';

export type { HubLimits, SocketOwner } from './connection.ts';

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

/**
 * The realtime hub of one server instance. It LISTENs once on the database bus and fans events out to
 * its local sockets: whichever instance wrote a message, every instance hears the NOTIFY and loads the
 * row. Per ticket, work runs in one ordered chain, so each socket gets a ticket's messages in strictly
 * increasing `seq`, without gap (a gap is filled from the table) and without duplicate. This file only
 * wires the parts together and runs their life cycle; each part does one job (docs/realtime.md "Layout").
 */
export class RealtimeHub implements ConnectionHandler {
  readonly instanceId = randomUUID();
  private readonly ctx: HubContext;
  private readonly connections: Connections;
  private readonly chains: TaskChains;
  private readonly presence: Presence;
  private readonly subscriptions: Subscriptions;
  private readonly busEvents: BusEvents;
  private readonly recovery: Recovery;
  private readonly clientFrames: ClientFrames;
  private unlisten: (() => Promise<void>) | null = null;
  private unlistenLocal: (() => void) | null = null;

  constructor(options: HubOptions) {
    const ctx: HubContext = {
      db: options.db,
      log: options.log,
      limits: { ...REALTIME_LIMITS, ...options.limits },
      instanceId: this.instanceId,
      closing: false,
    };
    this.ctx = ctx;
    const connections = new Connections(ctx, { idleMs: options.idleMs ?? 0, recheckAgent: options.recheckAgent });
    const frameLimits = new FrameLimits(ctx.limits);
    const channels = new Channels(connections);
    const chains = new TaskChains(ctx.log);
    const messages = new MessageDelivery(ctx, connections, frameLimits);
    const presence = new Presence(ctx, connections, channels, chains, {
      heartbeatMs: options.presenceHeartbeatMs ?? 10_000,
      ttlSeconds: options.presenceTtlSeconds ?? 30,
    });
    // A subscriber whose order token stopped matching is dropped by the subscriptions it belongs to.
    const orders = new OrderUpdates(ctx, connections, channels, chains, (conn, channel) => subscriptions.unsubscribe(conn, channel, false));
    const subscriptions = new Subscriptions(ctx, { connections, channels, frameLimits, chains, messages, presence, orders });
    const recovery = new Recovery(ctx, { connections, channels, frameLimits, chains, messages, presence, orders }, options.sweepMs ?? 3000);
    this.busEvents = new BusEvents(ctx, {
      connections,
      channels,
      chains,
      messages,
      presence,
      orders,
      subscriptions,
      team: new TeamAlerts(ctx, connections, channels, chains),
      onProbe: (at) => recovery.confirm(at),
    });
    this.clientFrames = new ClientFrames(connections, frameLimits, subscriptions, presence);
    this.connections = connections;
    this.chains = chains;
    this.presence = presence;
    this.subscriptions = subscriptions;
    this.recovery = recovery;
  }

  get isClosing() {
    return this.ctx.closing;
  }

  /** Frames received from and sent to clients since start (for /metrics). */
  get frames(): { readonly received: number; readonly sent: number } {
    return this.connections.frames;
  }

  /** Number of open sockets (for tests and metrics). */
  get size() {
    return this.connections.all.size;
  }

  async start(): Promise<void> {
    const busChannel = await findBusChannel(this.ctx.db);
    const { rows } = await this.ctx.db.query<{ now: Date }>('SELECT now() AS now');
    this.recovery.start(rows[0]!.now);
    this.unlisten = await this.ctx.db.listen(
      busChannel,
      (payload) => this.busEvents.onNotification(payload),
      () => this.recovery.onListenerReconnect(),
    );
    this.connections.startTimers();
    this.presence.startTimer();
    this.recovery.startSweep();
    // Events this process publishes after commit (messages.service.ts) log through the app's logger; its
    // own messages reach this instance's subscribers at once, before their NOTIFY (bus-events.ts onLocal).
    const publisher = busPublisher(this.ctx.db);
    publisher.log ??= this.ctx.log;
    this.unlistenLocal = publisher.onLocal((event, detail) => this.busEvents.onLocal(event, detail));
  }

  /** Takes over an upgraded socket. */
  attach(ws: WebSocket, owner: SocketOwner): void {
    const conn = this.connections.attach(ws, owner, this);
    // An agent with a socket open is available (docs/agents.md "Availability").
    if (conn.agent && !this.ctx.closing) this.presence.connectAgent(conn);
  }

  /** Closes every socket (1001) and waits a little for them to go; called before the HTTP server closes. */
  async closeSockets(graceMs = 1000): Promise<void> {
    this.ctx.closing = true;
    this.connections.stopTimers();
    this.presence.stopTimer();
    this.recovery.stopSweep();
    await this.connections.closeAll(graceMs);
  }

  /** Releases the LISTEN and this instance's presence rows; the database must still be open. */
  async stop(): Promise<void> {
    this.ctx.closing = true;
    this.recovery.stopSweep();
    this.unlistenLocal?.();
    this.unlistenLocal = null;
    // Events of messages committed by this process go out before the database closes.
    await busPublisher(this.ctx.db).flush();
    await this.chains.settle();
    const unlisten = this.unlisten;
    this.unlisten = null;
    await unlisten?.().catch((err) => this.ctx.log.warn({ err }, 'realtime: unlisten failed'));
    await this.presence.clearInstance();
  }

  handleFrame(conn: Connection, data: RawData, isBinary: boolean): void {
    this.connections.frames.received++;
    this.clientFrames.handle(conn, data, isBinary);
  }

  handleClose(conn: Connection): void {
    this.connections.remove(conn);
    this.subscriptions.unsubscribeAll(conn);
    this.presence.disconnectAgent(conn);
  }
}
