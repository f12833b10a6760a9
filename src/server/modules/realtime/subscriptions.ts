import type { HubParts } from './hub-parts.ts';
import { ticketChannel, type SubscribeFrame } from '../../../contracts/realtime.ts';
import { AppError } from '../../http/app-error.ts';
import { findLastMessageSeq } from '../tickets/index.ts';
import { BUS_EVENTS, publishEvent } from '../../events/bus.ts';
import type { Connection, HubContext, Subscription } from './connection.ts';
import { authorizeSubscription, resolveSince, tokenStillOpens, type Side, type SubscriptionGrant } from './realtime.service.ts';
import { subscribedFrame, ticketMergedFrame, unsubscribedFrame } from './server-frames.ts';

// A typing state is re-published at most this often while it stays the same (clients repeat it).
const TYPING_REPEAT_MS = 3000;

/** Who follows what on this instance: subscribe, unsubscribe, typing, and the end of a revoked token's subscriptions. */
export class Subscriptions {
  constructor(
    private readonly ctx: HubContext,
    private readonly parts: HubParts,
  ) {}

  async subscribe(conn: Connection, frame: SubscribeFrame): Promise<void> {
    const { connections, channels, frameLimits, chains, messages, presence, orders } = this.parts;
    if (this.ctx.closing) return;
    if (!conn.subs.has(frame.channel) && conn.subs.size + conn.pending >= this.ctx.limits.maxSubscriptions) {
      throw new AppError('invalid_request', { reason: 'realtime_too_many_subscriptions' });
    }
    // Refused before any database work: this address was sent its share of backlogs for now.
    if (frame.since !== undefined && frameLimits.backfillExhausted(conn.address)) {
      throw new AppError('rate_limited', {
        reason: 'realtime_backfill_limited',
        retryAfterSeconds: frameLimits.backfillRetryAfterSeconds(conn.address),
      });
    }
    conn.pending += 1;
    let grant: SubscriptionGrant;
    let since = 0;
    let agentLive = true;
    try {
      grant = await authorizeSubscription({ db: this.ctx.db, channel: frame.channel, token: frame.token, agent: conn.agent });
      // The session may have ended since the handshake (its agent.revoked missed, or it expired).
      if (grant.kind !== 'order' && grant.side === 'agent') agentLive = await connections.agentStillLive(conn);
      // Where the subscription starts is fixed before it is registered and confirmed: a subscription without
      // `since` starts after the ticket's latest message *now*. Read later (it was, in the ticket's chain,
      // after the 'subscribed' frame), a message committed in between counted as already seen and never
      // reached the socket; from here, it is newer than the start and is delivered (live, or from the table).
      if (agentLive && grant.kind === 'ticket') {
        since =
          frame.since !== undefined
            ? await resolveSince(this.ctx.db, grant.ticketId, frame.since)
            : ((await findLastMessageSeq(this.ctx.db, grant.ticketId)) ?? 0);
      }
    } finally {
      conn.pending -= 1;
    }
    if (!agentLive) return connections.revoke(conn);
    if (conn.closed || this.ctx.closing) return;
    // Subscribing again restarts the subscription (a client resuming from another point).
    if (conn.subs.has(grant.channel)) this.unsubscribe(conn, grant.channel, false);

    // Registered before the backlog is read: whatever commits from now on reaches this socket live,
    // whatever committed before is in the backlog, and seq removes the overlap.
    const sub: Subscription = { grant, lastSeq: null, typing: false, typingAt: 0 };
    if (grant.kind === 'ticket' && grant.side === 'customer') sub.token = frame.token;
    conn.subs.set(grant.channel, sub);
    channels.add(grant.channel, conn);
    connections.send(conn, subscribedFrame(grant.channel));

    if (grant.kind === 'order') {
      // The state at subscription time first: nothing between the widget's lookup and now is missed.
      orders.send(grant.orderNumber, [conn]);
      return;
    }
    if (grant.kind !== 'ticket') return;
    const { ticketId } = grant;
    chains.enqueue(ticketId, () => messages.start(conn, sub, ticketId, since));
    // A widget that was away during a merge learns where the conversation went (after its backlog).
    const { mergedInto } = grant;
    if (mergedInto) chains.enqueue(ticketId, async () => connections.send(conn, ticketMergedFrame(ticketId, mergedInto)));
    if (grant.side === 'agent' && conn.agent) presence.join(ticketId, conn.agent.id);
    presence.sendTo(conn, sub, ticketId);
  }

  /** Ends a socket's subscription to a channel; `confirm` answers the client's unsubscribe frame. */
  unsubscribe(conn: Connection, channel: string, confirm: boolean): void {
    const sub = conn.subs.get(channel);
    if (sub) {
      conn.subs.delete(channel);
      if (conn.subs.size === 0) conn.idleSince = Date.now();
      const emptied = this.parts.channels.remove(channel, conn);
      if (emptied && sub.grant.kind === 'ticket') this.parts.presence.forget(sub.grant.ticketId);
      if (sub.grant.kind === 'ticket') {
        if (sub.typing) this.publishTyping(sub.grant.ticketId, sub.grant.side, false, conn);
        if (sub.grant.side === 'agent' && conn.agent) this.parts.presence.leave(sub.grant.ticketId, conn.agent.id);
      }
    }
    if (confirm) this.parts.connections.send(conn, unsubscribedFrame(channel));
  }

  /** A socket closed: every subscription it held ends. */
  unsubscribeAll(conn: Connection): void {
    for (const channel of [...conn.subs.keys()]) this.unsubscribe(conn, channel, false);
  }

  /** A subscriber is typing (or stopped): published on the bus for the other side, on every instance. */
  typing(conn: Connection, channel: string, typing: boolean): void {
    const sub = conn.subs.get(channel);
    if (!sub || sub.grant.kind !== 'ticket') {
      return this.parts.connections.sendError(conn, new AppError('forbidden', { reason: 'realtime_not_subscribed' }), channel);
    }
    const now = Date.now();
    if (sub.typing === typing && now - sub.typingAt < TYPING_REPEAT_MS) return;
    sub.typing = typing;
    sub.typingAt = now;
    this.publishTyping(sub.grant.ticketId, sub.grant.side, typing, conn);
  }

  /** Ends the customer subscriptions of a ticket whose token no longer opens it (a new token was issued). */
  async recheckTokens(ticketId: string): Promise<void> {
    const channel = ticketChannel(ticketId);
    for (const { conn, sub } of this.parts.channels.targets(channel)) {
      if (sub.grant.kind !== 'ticket' || sub.grant.side !== 'customer') continue;
      if (await tokenStillOpens(this.ctx.db, ticketId, sub.token)) continue;
      if (conn.subs.get(channel) !== sub) continue;
      this.unsubscribe(conn, channel, false);
      this.parts.connections.sendError(conn, new AppError('unauthorized', { reason: 'realtime_token_revoked' }), channel);
    }
  }

  private publishTyping(ticketId: string, side: Side, typing: boolean, conn: Connection): void {
    const authorType = side === 'customer' ? 'user' : 'agent';
    // Which agent types goes along, for the ticket's other agents (two replying at once: docs/dashboard.md).
    const agent = side === 'agent' && conn.agent ? { id: conn.agent.id, name: conn.agent.name } : undefined;
    publishEvent(this.ctx.db, { type: BUS_EVENTS.typing, ticketId, authorType, typing, ...(agent ? { agent } : {}) }).catch((err) =>
      this.ctx.log.warn({ err }, 'realtime: typing not published'),
    );
  }
}
