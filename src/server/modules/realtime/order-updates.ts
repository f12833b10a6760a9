import { orderChannel } from '../../../contracts/realtime.ts';
import { AppError } from '../../http/app-error.ts';
import { loadLiveOrder } from '../orders/index.ts';
import type { Channels } from './channels.ts';
import type { Connection, HubContext } from './connection.ts';
import type { Connections } from './connections.ts';
import type { TaskChains } from './ordered-delivery.ts';
import { orderUpdatedFrame, type FrameText } from './server-frames.ts';

/** An order's live state to the widgets tracking it on `order:<NUMBER>` (docs/orders.md). */
export class OrderUpdates {
  constructor(
    private readonly ctx: HubContext,
    private readonly connections: Connections,
    private readonly channels: Channels,
    private readonly chains: TaskChains,
    /** Ends a socket's subscription without confirming it (subscriptions.ts). */
    private readonly drop: (conn: Connection, channel: string) => void,
  ) {}

  /**
   * Queues the order's current state for its subscribers (or for `only`), after whatever was queued for
   * the order before. A subscriber whose token no longer matches (the order's e-mail changed) gets an
   * error and is unsubscribed instead.
   */
  send(orderNumber: string, only?: Connection[]): void {
    this.chains.enqueue(orderChannel(orderNumber), () => this.sendNow(orderNumber, only));
  }

  private async sendNow(orderNumber: string, only?: Connection[]): Promise<void> {
    const channel = orderChannel(orderNumber);
    const members = only ?? this.channels.socketsOf(channel);
    if (!members.length) return;
    const live = await loadLiveOrder(this.ctx.db, orderNumber);
    let frame: FrameText | null = null;
    for (const conn of members) {
      const sub = conn.subs.get(channel);
      if (conn.closed || !sub || sub.grant.kind !== 'order') continue;
      if (!live || !live.tokenMatches(sub.grant.token)) {
        this.drop(conn, channel);
        this.connections.sendError(conn, new AppError('not_found', { reason: 'order_not_found' }), channel);
        continue;
      }
      frame ??= orderUpdatedFrame(orderNumber, live.order);
      this.connections.send(conn, frame);
    }
  }
}
