import { FRAME, QUEUE_CHANNEL, TEAM_CHANNEL, orderChannel, ticketChannel } from '../../../contracts/realtime.ts';
import { findLastMessageSeq, findTicketById, toTicket, type MessageRow } from '../tickets/index.ts';
import type { Attachment } from '../../../contracts/attachments.ts';
import { BUS_EVENTS, type BusEvent, type LocalMessageDetail } from '../../events/bus.ts';
import type { Channels } from './channels.ts';
import type { HubContext } from './connection.ts';
import type { Connections } from './connections.ts';
import type { OrderUpdates } from './order-updates.ts';
import type { MessageDelivery, TaskChains } from './ordered-delivery.ts';
import type { Presence } from './presence.ts';
import type { Subscriptions } from './subscriptions.ts';
import type { TeamAlerts } from './team-alerts.ts';
import { ticketCreatedFrame, ticketMergedFrame, ticketUpdatedFrame, timelineUpdatedFrame, typingFrame } from './server-frames.ts';

/**
 * What this instance does with each event heard on the bus: only what its own subscribers need (a
 * channel nobody follows here costs no query), queued in the ticket's chain so that it stays in order.
 */
export class BusEvents {
  constructor(
    private readonly ctx: HubContext,
    private readonly parts: {
      connections: Connections;
      channels: Channels;
      chains: TaskChains;
      messages: MessageDelivery;
      presence: Presence;
      orders: OrderUpdates;
      subscriptions: Subscriptions;
      team: TeamAlerts;
      /** This instance's own listener probe came back: every event before `at` was heard. */
      onProbe: (at: Date) => void;
    },
  ) {}

  /**
   * An event this process published itself, at once after its commit (bus.ts onLocal): a message the
   * publisher handed over whole goes to this instance's subscribers of its ticket without waiting for the
   * NOTIFY and without reading it back, in the ticket's chain like any event. Everything else (the queue's
   * frame, other instances) waits for the NOTIFY, which then finds these subscribers up to date: seq keeps
   * it from being sent twice.
   */
  onLocal(event: BusEvent, detail: LocalMessageDetail | undefined): void {
    if (this.ctx.closing || event.type !== BUS_EVENTS.messageCreated || !detail) return;
    const { ticketId, seq, messageId } = event;
    const row = detail.row as MessageRow;
    if (row.id !== messageId || row.seq !== seq || row.request_id !== ticketId) return;
    const { channels, chains, messages } = this.parts;
    const channel = ticketChannel(ticketId);
    if (!channels.has(channel)) return;
    const known = { row, attachments: detail.attachments as Attachment[] };
    chains.enqueue(ticketId, () => messages.catchUp(ticketId, channels.targets(channel), { seq, messageId, known }));
  }

  onNotification(payload: string): void {
    const { channels, chains, messages, presence, orders, subscriptions, connections, team } = this.parts;
    let event: BusEvent;
    try {
      event = JSON.parse(payload) as BusEvent;
    } catch {
      this.ctx.log.warn({ payload: payload.slice(0, 200) }, 'realtime: unreadable bus event');
      return;
    }
    switch (event.type) {
      case BUS_EVENTS.messageCreated: {
        const { ticketId, seq, messageId, attachments } = event;
        if (channels.has(ticketChannel(ticketId))) {
          chains.enqueue(ticketId, () => messages.catchUp(ticketId, channels.targets(ticketChannel(ticketId)), { seq, messageId, attachments }));
        }
        // A new message moves the ticket in the agents' list (updated_at).
        if (channels.has(QUEUE_CHANNEL)) chains.enqueue(ticketId, () => this.sendTicket(ticketId, FRAME.ticketUpdated, false));
        if (channels.has(TEAM_CHANNEL)) chains.enqueue(ticketId, () => team.customerMessage(ticketId, messageId));
        return;
      }
      case BUS_EVENTS.ticketCreated:
        if (channels.has(QUEUE_CHANNEL)) {
          chains.enqueue(event.ticketId, () => this.sendTicket(event.ticketId, FRAME.ticketCreated, false));
        }
        if (channels.has(TEAM_CHANNEL)) chains.enqueue(event.ticketId, () => team.ticketCreated(event.ticketId));
        return;
      case BUS_EVENTS.availabilityChanged:
        if (channels.has(TEAM_CHANNEL)) team.availability(event.agentId);
        return;
      case BUS_EVENTS.mentionCreated:
        if (channels.has(TEAM_CHANNEL)) chains.enqueue(event.ticketId, () => team.mention(event.mentionId));
        return;
      case BUS_EVENTS.ticketUpdated:
        if (channels.has(QUEUE_CHANNEL) || channels.has(ticketChannel(event.ticketId))) {
          chains.enqueue(event.ticketId, () => this.sendTicket(event.ticketId, FRAME.ticketUpdated, true));
        }
        return;
      case BUS_EVENTS.typing:
        this.relayTyping(event.ticketId, event.authorType, event.typing, event.agent);
        return;
      case BUS_EVENTS.timelineUpdated:
        this.relayTimeline(event.ticketId);
        return;
      case BUS_EVENTS.ticketMerged:
        this.relayMerge(event.ticketId, event.mergedId);
        return;
      case BUS_EVENTS.presenceChanged:
        if (channels.has(ticketChannel(event.ticketId))) presence.recount(event.ticketId);
        return;
      case BUS_EVENTS.orderUpdated:
        if (channels.has(orderChannel(event.orderNumber))) orders.send(event.orderNumber);
        return;
      case BUS_EVENTS.agentRevoked:
        connections.revokeAgent(event.agentId, Boolean(event.recheck));
        return;
      case BUS_EVENTS.ticketTokenRevoked:
        if (channels.has(ticketChannel(event.ticketId))) chains.enqueue(event.ticketId, () => subscriptions.recheckTokens(event.ticketId));
        return;
      case BUS_EVENTS.probe:
        if (event.instanceId === this.ctx.instanceId) this.parts.onProbe(new Date(event.at));
        return;
    }
  }

  /** A ticket's new state to the queue and, when `toTicketChannel`, to the ticket's own subscribers. */
  private async sendTicket(ticketId: string, type: typeof FRAME.ticketCreated | typeof FRAME.ticketUpdated, toTicketChannel: boolean) {
    const { channels } = this.parts;
    const channel = ticketChannel(ticketId);
    const toQueue = channels.has(QUEUE_CHANNEL);
    const toSubs = toTicketChannel && channels.has(channel);
    if (!toQueue && !toSubs) return;
    const row = await findTicketById(this.ctx.db, ticketId);
    if (!row) return;
    // Customers receive exactly the contract's ticket shape, never internal columns.
    const ticket = toTicket(row);
    if (toQueue) channels.broadcast(QUEUE_CHANNEL, type === FRAME.ticketCreated ? ticketCreatedFrame(ticket) : ticketUpdatedFrame(QUEUE_CHANNEL, ticket));
    if (toSubs) channels.broadcast(channel, ticketUpdatedFrame(channel, ticket));
  }

  /** Notes are internal: only the agents' subscriptions of the ticket hear that the timeline changed. */
  private relayTimeline(ticketId: string): void {
    const channel = ticketChannel(ticketId);
    if (!this.parts.channels.has(channel)) return;
    const frame = timelineUpdatedFrame(ticketId);
    for (const { conn, sub } of this.parts.channels.targets(channel)) {
      if (sub.grant.kind === 'ticket' && sub.grant.side === 'agent') this.parts.connections.send(conn, frame);
    }
  }

  /**
   * A merge renumbered the kept ticket's messages: its subscriptions restart at its new last seq (the
   * numbers they had counted no longer mean the same messages) and are told to reload; the merged
   * ticket's subscribers are told where its conversation went. In each ticket's chain, after every
   * earlier event of it.
   */
  private relayMerge(keptId: string, mergedId: string): void {
    const { channels, chains, connections } = this.parts;
    if (channels.has(ticketChannel(mergedId))) {
      chains.enqueue(mergedId, async () => channels.broadcast(ticketChannel(mergedId), ticketMergedFrame(mergedId, keptId)));
    }
    if (!channels.has(ticketChannel(keptId))) return;
    chains.enqueue(keptId, async () => {
      const lastSeq = (await findLastMessageSeq(this.ctx.db, keptId)) ?? 0;
      const frame = ticketMergedFrame(keptId, keptId);
      for (const { conn, sub } of channels.targets(ticketChannel(keptId))) {
        if (sub.lastSeq !== null) sub.lastSeq = lastSeq;
        connections.send(conn, frame);
      }
    });
  }

  private relayTyping(ticketId: string, authorType: 'user' | 'agent', typing: boolean, agent?: { id: string; name: string }): void {
    const channel = ticketChannel(ticketId);
    if (!this.parts.channels.has(channel)) return;
    // The other side hears it: a customer's typing goes to agents, an agent's to the customer. An agent's
    // also goes to the ticket's other agents, with their name, so that two never answer at once unaware.
    const audience = authorType === 'user' ? 'agent' : 'customer';
    const frame = typingFrame(ticketId, authorType, typing);
    const toAgents = authorType === 'agent' && agent ? typingFrame(ticketId, authorType, typing, agent) : null;
    for (const { conn, sub } of this.parts.channels.targets(channel)) {
      if (sub.grant.kind !== 'ticket') continue;
      if (sub.grant.side === audience) this.parts.connections.send(conn, frame);
      else if (toAgents && sub.grant.side === 'agent' && conn.agent?.id !== agent?.id) this.parts.connections.send(conn, toAgents);
    }
  }
}
