import type { HubParts } from './hub-parts.ts';
import { QUEUE_CHANNEL, orderNumberOfChannel, ticketChannel, ticketIdOfChannel } from '../../../contracts/realtime.ts';
import { listLastMessageSeqs, listTicketsUpdatedSince, toTicket } from '../tickets/index.ts';
import type { HubContext } from './connection.ts';
import { ticketUpdatedFrame } from './server-frames.ts';

// Tickets sent to the queue after a listener outage, at most (the dashboard reloads its list anyway).
const QUEUE_BACKFILL_MAX = 1000;

/**
 * Makes up for lost notifications: after a listener outage every subscriber is sent what
 * committed meanwhile, and a periodic sweep catches a message whose NOTIFY was never sent or was lost
 * (docs/realtime.md "No gap, no duplicate").
 */
export class Recovery {
  /** Database time before which every bus event is known to have been heard (from our own probes). */
  private confirmedAt: Date | null = null;
  private sweeping = false;
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: HubContext,
    private readonly parts: HubParts,
    /** How often the safety sweep compares each subscribed ticket's latest seq with what was delivered. */
    private readonly sweepMs: number,
  ) {}

  /** `now`: the database time the LISTEN starts from. */
  start(now: Date): void {
    this.confirmedAt = now;
  }

  startSweep(): void {
    this.sweepTimer = setInterval(() => void this.sweep(), this.sweepMs);
    this.sweepTimer.unref();
  }

  stopSweep(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
  }

  /** This instance's probe came back through the bus: every event published before `at` was heard. */
  confirm(at: Date): void {
    this.confirmedAt = at;
  }

  /** The listener's connection came back: send each subscriber what committed while it was down. */
  onListenerReconnect(): void {
    if (this.ctx.closing) return;
    const { connections, channels, chains, messages, presence, orders } = this.parts;
    const since = this.confirmedAt;
    this.ctx.log.info({ since }, 'realtime: bus listener reconnected, backfilling');
    // An agent.revoked sent while the listener was down is lost: ask the sessions themselves.
    void connections.recheckAgents();
    for (const channel of channels.names()) {
      const orderNumber = orderNumberOfChannel(channel);
      if (orderNumber) orders.send(orderNumber);
      const ticketId = ticketIdOfChannel(channel);
      if (!ticketId) continue;
      chains.enqueue(ticketId, () => messages.catchUp(ticketId, channels.targets(channel)));
      presence.recount(ticketId);
    }
    if (since && channels.has(QUEUE_CHANNEL)) {
      chains.enqueue(QUEUE_CHANNEL, async () => {
        const rows = await listTicketsUpdatedSince(this.ctx.db, since, QUEUE_BACKFILL_MAX);
        for (const row of rows) channels.broadcast(QUEUE_CHANNEL, ticketUpdatedFrame(QUEUE_CHANNEL, toTicket(row)));
      });
    }
    void presence.heartbeat();
  }

  /**
   * The safety net under NOTIFY: one query for every ticket this instance has subscribers on, and a
   * catch-up (from the table, in seq order) for each ticket whose latest seq is past what a subscriber
   * got. Covers a notification never sent (the writer died between COMMIT and NOTIFY) or lost. Nothing
   * subscribed, no query.
   */
  private async sweep(): Promise<void> {
    if (this.ctx.closing || this.sweeping) return;
    const { channels, frameLimits, chains, messages } = this.parts;
    frameLimits.pruneBackfill();
    const delivered = new Map<string, number>();
    for (const channel of channels.names()) {
      const ticketId = ticketIdOfChannel(channel);
      if (!ticketId) continue;
      for (const { sub } of channels.targets(channel)) {
        if (sub.lastSeq === null) continue;
        delivered.set(ticketId, Math.min(delivered.get(ticketId) ?? sub.lastSeq, sub.lastSeq));
      }
    }
    if (delivered.size === 0) return;
    this.sweeping = true;
    try {
      for (const { id, last_message_seq } of await listLastMessageSeqs(this.ctx.db, [...delivered.keys()])) {
        if (last_message_seq <= delivered.get(id)!) continue;
        chains.enqueue(id, () => messages.catchUp(id, channels.targets(ticketChannel(id))));
      }
    } catch (err) {
      this.ctx.log.warn({ err }, 'realtime: safety sweep failed');
    } finally {
      this.sweeping = false;
    }
  }
}
