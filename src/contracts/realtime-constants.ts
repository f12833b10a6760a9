// The realtime protocol's names and limits, shared by the server and the browser client. No zod here:
// the client imports this module alone and ships inside the 60 KB widget.

/** Where the WebSocket endpoint lives. */
export const REALTIME_PATH = '/api/realtime';

/** Channel names: one per ticket, and the agents' queue (every ticket's changes). */
export const QUEUE_CHANNEL = 'queue';
export const TICKET_CHANNEL_PREFIX = 'ticket:';
export function ticketChannel(ticketId: string): string {
  return `${TICKET_CHANNEL_PREFIX}${ticketId}`;
}

/**
 * `team`: agents only. Every agent's availability changes (`availability`), and the alerts meant for the
 * subscriber (`alert`: a new ticket for them, a customer's answer on their ticket, an @mention).
 */
export const TEAM_CHANNEL = 'team';

/** `order:<NUMBER>`: an order's live status, for a widget holding its tracking token (docs/orders.md). */
export const ORDER_CHANNEL_PREFIX = 'order:';
export function orderChannel(orderNumber: string): string {
  return `${ORDER_CHANNEL_PREFIX}${orderNumber.toUpperCase()}`;
}

/** Limits of one connection, enforced by the server. */
export const REALTIME_LIMITS = {
  /** Largest client frame (bytes); a larger one closes the connection with code 1009. */
  maxFrameBytes: 16 * 1024,
  maxSubscriptions: 20,
  /** Client frames allowed per window before the connection is closed (4029). */
  maxFramesPerWindow: 100,
  frameWindowMs: 10_000,
  /** Bytes queued for a client that does not read, past which it is cut off. */
  maxBufferedBytes: 1024 * 1024,
  /** Server ping interval; a connection that missed one pong is dropped at the next. */
  heartbeatMs: 30_000,
  /** Messages read per backlog page when resuming with `since`. */
  backlogPage: 100,
  /**
   * A backlog is sent page by page while the socket's send buffer stays below this; past it the rest
   * waits until the client has read (the hub's sweep resumes it), so no backfill is unbounded.
   */
  backfillHighWaterBytes: 256 * 1024,
  /** Subscribe frames: a token bucket per socket (this many at once, then one per refill interval). */
  subscribeBurst: 30,
  subscribeRefillMs: 1000,
  /** Backlog bytes one client address may be sent per window; past it, subscribing with `since` is refused. */
  backfillBytesPerWindow: 8 * 1024 * 1024,
  backfillWindowMs: 60_000,
} as const;

/** Close codes the server uses; the client does not reconnect after `revoked`. */
export const REALTIME_CLOSE = {
  goingAway: 1001,
  policy: 1008,
  tooLarge: 1009,
  revoked: 4001,
  /** A socket without an agent session that subscribed to nothing for WS_IDLE_SECONDS. */
  idle: 4008,
  rateLimited: 4029,
} as const;

/** Every frame type, each named once. */
export const FRAME = {
  subscribe: 'subscribe',
  unsubscribe: 'unsubscribe',
  typing: 'typing',
  ping: 'ping',
  /** Agents, client → server: the person at this tab became idle (`idle: true`) or active again. */
  activity: 'activity',
  subscribed: 'subscribed',
  unsubscribed: 'unsubscribed',
  messageCreated: 'message.created',
  ticketCreated: 'ticket.created',
  ticketUpdated: 'ticket.updated',
  orderUpdated: 'order.updated',
  presence: 'presence',
  /** Agents only: a ticket's internal timeline changed (a note); never sent to a customer. */
  timelineUpdated: 'timeline.updated',
  /** A ticket was merged into another (`into`): subscribers of either reload the kept conversation. */
  ticketMerged: 'ticket.merged',
  /** On `team`: an agent's availability changed (online, away, offline). */
  availability: 'availability',
  /** On `team`, to the agent concerned only: a new ticket, a customer's answer, an @mention. */
  alert: 'alert',
  pong: 'pong',
  error: 'error',
} as const;

/** An agent's availability: `offline` without any socket (or chosen), `away` when idle or chosen. */
export const AVAILABILITY_STATUSES = ['online', 'away', 'offline'] as const;
export type AvailabilityStatus = (typeof AVAILABILITY_STATUSES)[number];

/** What an `alert` frame is about. */
export const ALERT_KINDS = {
  ticketCreated: 'ticket_created',
  customerMessage: 'customer_message',
  mention: 'mention',
} as const;
export type AlertKind = (typeof ALERT_KINDS)[keyof typeof ALERT_KINDS];
