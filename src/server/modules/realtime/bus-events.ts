import { FRAME, QUEUE_CHANNEL, orderChannel, ticketChannel } from '../../../contracts/realtime.ts';
import { findTicketById, toTicket } from '../tickets/index.ts';
import { BUS_EVENTS, type BusEvent } from '../../events/bus.ts';
import type { Channels } from './channels.ts';
import type { HubContext } from './connection.ts';
import type { Connections } from './connections.ts';
import type { OrderUpdates } from './order-updates.ts';
import type { MessageDelivery, TaskChains } from './ordered-delivery.ts';
import type { Presence } from './presence.ts';
import type { Subscriptions } from './subscriptions.ts';
import { ticketCreatedFrame, ticketUpdatedFrame, timelineUpdatedFrame, typingFrame } from './server-frames.ts';

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
      /** This instance's own listener probe came back: every event before `at` was heard. */
      onProbe: (at: Date) => void;
    },
  ) {}

  onNotification(payload: string): void {
    const { channels, chains, messages, presence, orders, subscriptions, connections } = this.parts;
    let event: BusEvent;
    try {
      event = JSON.parse(payload) as BusEvent;
    } catch {
      this.ctx.log.warn({ payload: payload.slice(0, 200) }, 'realtime: unreadable bus event');
      return;
    }
    switch (event.type) {
      case BUS_EVENTS.messageCreated: {
        const { ticketId, seq, messageId } = event;
        if (channels.has(ticketChannel(ticketId))) {
          chains.enqueue(ticketId, () => messages.catchUp(ticketId, channels.targets(ticketChannel(ticketId)), { seq, messageId }));
        }
        // A new message moves the ticket in the agents' list (updated_at).
        if (channels.has(QUEUE_CHANNEL)) chains.enqueue(ticketId, () => this.sendTicket(ticketId, FRAME.ticketUpdated, false));
        return;
      }
      case BUS_EVENTS.ticketCreated:
        if (channels.has(QUEUE_CHANNEL)) {
          chains.enqueue(event.ticketId, () => this.sendTicket(event.ticketId, FRAME.ticketCreated, false));
        }
        return;
      case BUS_EVENTS.ticketUpdated:
        if (channels.has(QUEUE_CHANNEL) || channels.has(ticketChannel(event.ticketId))) {
          chains.enqueue(event.ticketId, () => this.sendTicket(event.ticketId, FRAME.ticketUpdated, true));
        }
        return;
      case BUS_EVENTS.typing:
        this.relayTyping(event.ticketId, event.authorType, event.typing);
        return;
      case BUS_EVENTS.timelineUpdated:
        this.relayTimeline(event.ticketId);
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

  private relayTyping(ticketId: string, authorType: 'user' | 'agent', typing: boolean): void {
    const channel = ticketChannel(ticketId);
    if (!this.parts.channels.has(channel)) return;
    // Only the other side hears it: a customer's typing goes to agents, an agent's to the customer.
    const audience = authorType === 'user' ? 'agent' : 'customer';
    const frame = typingFrame(ticketId, authorType, typing);
    for (const { conn, sub } of this.parts.channels.targets(channel)) {
      if (sub.grant.kind === 'ticket' && sub.grant.side === audience) this.parts.connections.send(conn, frame);
    }
  }
}
