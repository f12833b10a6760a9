import { ticketChannel } from '../../../contracts/realtime.ts';
import { BUS_EVENTS, publishEvent } from '../../events/bus.ts';
import type { Channels } from './channels.ts';
import type { Connection, HubContext, Subscription } from './connection.ts';
import type { Connections } from './connections.ts';
import type { TaskChains } from './ordered-delivery.ts';
import {
  countPresentAgents,
  deleteAgentPresence,
  deleteInstanceAgentPresence,
  deleteInstancePresence,
  deletePresence,
  publishProbe,
  reapExpiredAgentPresence,
  reapExpiredPresence,
  upsertAgentPresence,
  upsertPresence,
  type PresenceKey,
} from './realtime.repo.ts';
import { presenceFrame } from './server-frames.ts';

/** Presence work of a ticket runs in its own chain, apart from its messages. */
function presenceChain(ticketId: string) {
  return `presence:${ticketId}`;
}

/** An agent's own presence work (connected, idle) runs in one chain per agent. */
function agentChain(agentId: string) {
  return `agent:${agentId}`;
}

/**
 * How many distinct agents view each ticket, across every instance (docs/realtime.md "Typing and presence"): one
 * row per (instance, ticket, agent) in realtime_presence, refreshed by a heartbeat, reaped when its
 * instance died; each change is a bus event after which every instance recounts.
 * The same rows one level up make each agent's availability (docs/agents.md "Availability"): one row per
 * (agent, instance) in realtime_agent_presence while the agent has any socket here, idle once every
 * one of them reported its person idle; each change is an `agent.availability_changed` event.
 */
export class Presence {
  /** Local sockets per `${ticketId} ${agentId}`: the presence row exists while this is above zero. */
  private readonly local = new Map<string, number>();
  /** The agent count last sent to this instance's subscribers of a ticket. */
  private readonly sent = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  /** Each agent's open sockets here: their availability row exists while this holds one. */
  private readonly agentSockets = new Map<string, Set<Connection>>();

  constructor(
    private readonly ctx: HubContext,
    private readonly connections: Connections,
    private readonly channels: Channels,
    private readonly chains: TaskChains,
    private readonly options: {
      /** How often presence rows are refreshed, expired ones reaped and the listener probed. */
      heartbeatMs: number;
      /** A presence row not refreshed for this long belongs to a dead instance. */
      ttlSeconds: number;
    },
  ) {}

  startTimer(): void {
    this.timer = setInterval(() => void this.heartbeat(), this.options.heartbeatMs);
    this.timer.unref();
  }

  stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** An agent's socket subscribed to a ticket. */
  join(ticketId: string, agentId: string): void {
    const key = `${ticketId} ${agentId}`;
    const count = this.local.get(key) ?? 0;
    this.local.set(key, count + 1);
    if (count > 0) return;
    this.chains.enqueue(presenceChain(ticketId), async () => {
      await upsertPresence(this.ctx.db, this.ctx.instanceId, [{ ticketId, agentId }], this.options.ttlSeconds);
      await publishEvent(this.ctx.db, { type: BUS_EVENTS.presenceChanged, ticketId });
    });
  }

  /** An agent's socket left a ticket. */
  leave(ticketId: string, agentId: string): void {
    const key = `${ticketId} ${agentId}`;
    const count = this.local.get(key) ?? 0;
    if (count > 1) {
      this.local.set(key, count - 1);
      return;
    }
    this.local.delete(key);
    // On shutdown clearInstance() removes every row of this instance at once.
    if (this.ctx.closing) return;
    this.chains.enqueue(presenceChain(ticketId), async () => {
      await deletePresence(this.ctx.db, this.ctx.instanceId, { ticketId, agentId });
      await publishEvent(this.ctx.db, { type: BUS_EVENTS.presenceChanged, ticketId });
    });
  }

  /** An agent's socket opened: the agent is online (or away) from now on. */
  connectAgent(conn: Connection): void {
    const agentId = conn.agent?.id;
    if (!agentId) return;
    const sockets = this.agentSockets.get(agentId) ?? new Set<Connection>();
    const wasIdle = sockets.size > 0 && this.allIdle(sockets);
    sockets.add(conn);
    this.agentSockets.set(agentId, sockets);
    if (sockets.size === 1 || wasIdle !== this.allIdle(sockets)) this.writeAgent(agentId);
  }

  /** An agent's socket closed: offline once it was the last one on every instance. */
  disconnectAgent(conn: Connection): void {
    const agentId = conn.agent?.id;
    const sockets = agentId ? this.agentSockets.get(agentId) : undefined;
    if (!agentId || !sockets?.has(conn)) return;
    const wasIdle = this.allIdle(sockets);
    sockets.delete(conn);
    if (sockets.size > 0) {
      if (wasIdle !== this.allIdle(sockets)) this.writeAgent(agentId);
      return;
    }
    this.agentSockets.delete(agentId);
    if (this.ctx.closing) return;
    this.chains.enqueue(agentChain(agentId), async () => {
      if (this.agentSockets.has(agentId)) return;
      await deleteAgentPresence(this.ctx.db, this.ctx.instanceId, agentId);
      await publishEvent(this.ctx.db, { type: BUS_EVENTS.availabilityChanged, agentId });
    });
  }

  /** The tab of this socket says its person went idle or came back. */
  setIdle(conn: Connection, idle: boolean): void {
    const agentId = conn.agent?.id;
    const sockets = agentId ? this.agentSockets.get(agentId) : undefined;
    if (!agentId || !sockets?.has(conn) || conn.idle === idle) return;
    const wasIdle = this.allIdle(sockets);
    conn.idle = idle;
    if (wasIdle !== this.allIdle(sockets)) this.writeAgent(agentId);
  }

  private allIdle(sockets: Set<Connection>): boolean {
    for (const conn of sockets) if (!conn.idle) return false;
    return true;
  }

  /** Writes the agent's row as it stands when the chain gets to it, then tells every instance. */
  private writeAgent(agentId: string): void {
    if (this.ctx.closing) return;
    this.chains.enqueue(agentChain(agentId), async () => {
      const sockets = this.agentSockets.get(agentId);
      if (!sockets) return;
      await upsertAgentPresence(this.ctx.db, this.ctx.instanceId, [{ agentId, idle: this.allIdle(sockets) }], this.options.ttlSeconds);
      await publishEvent(this.ctx.db, { type: BUS_EVENTS.availabilityChanged, agentId });
    });
  }

  /** Nobody here follows the ticket any more: the next subscriber is sent the count again. */
  forget(ticketId: string): void {
    this.sent.delete(ticketId);
  }

  /** Sends a new subscriber the ticket's current count (after the presence work queued before it). */
  sendTo(conn: Connection, sub: Subscription, ticketId: string): void {
    this.chains.enqueue(presenceChain(ticketId), async () => {
      if (conn.closed || conn.subs.get(sub.grant.channel) !== sub) return;
      const agents = await countPresentAgents(this.ctx.db, ticketId);
      this.connections.send(conn, presenceFrame(ticketId, agents));
    });
  }

  /** Counts again and tells the ticket's subscribers here, when the count changed. */
  recount(ticketId: string): void {
    this.chains.enqueue(presenceChain(ticketId), async () => {
      const channel = ticketChannel(ticketId);
      if (!this.channels.has(channel)) return;
      const agents = await countPresentAgents(this.ctx.db, ticketId);
      if (this.sent.get(ticketId) === agents) return;
      this.sent.set(ticketId, agents);
      this.channels.broadcast(channel, presenceFrame(ticketId, agents));
    });
  }

  /**
   * Refreshes this instance's rows, reaps those of dead instances, and probes the listener (the probe
   * coming back tells recovery.ts that every earlier event was heard).
   */
  async heartbeat(): Promise<void> {
    if (this.ctx.closing) return;
    try {
      const keys: PresenceKey[] = [...this.local.keys()].map((k) => {
        const [ticketId, agentId] = k.split(' ') as [string, string];
        return { ticketId, agentId };
      });
      await upsertPresence(this.ctx.db, this.ctx.instanceId, keys, this.options.ttlSeconds);
      for (const ticketId of await reapExpiredPresence(this.ctx.db)) {
        await publishEvent(this.ctx.db, { type: BUS_EVENTS.presenceChanged, ticketId });
      }
      const agents = [...this.agentSockets].map(([agentId, sockets]) => ({ agentId, idle: this.allIdle(sockets) }));
      await upsertAgentPresence(this.ctx.db, this.ctx.instanceId, agents, this.options.ttlSeconds);
      for (const agentId of await reapExpiredAgentPresence(this.ctx.db)) {
        await publishEvent(this.ctx.db, { type: BUS_EVENTS.availabilityChanged, agentId });
      }
      await publishProbe(this.ctx.db, this.ctx.instanceId);
    } catch (err) {
      this.ctx.log.warn({ err }, 'realtime: presence heartbeat failed');
    }
  }

  /** On shutdown: removes this instance's rows and tells the other instances to recount. */
  async clearInstance(): Promise<void> {
    try {
      const tickets = await deleteInstancePresence(this.ctx.db, this.ctx.instanceId);
      for (const ticketId of tickets) await publishEvent(this.ctx.db, { type: BUS_EVENTS.presenceChanged, ticketId });
      for (const agentId of await deleteInstanceAgentPresence(this.ctx.db, this.ctx.instanceId)) {
        await publishEvent(this.ctx.db, { type: BUS_EVENTS.availabilityChanged, agentId });
      }
    } catch (err) {
      this.ctx.log.warn({ err }, 'realtime: could not clear presence');
    }
  }
}
