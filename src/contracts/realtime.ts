import { z } from 'zod';
import { ERROR_STATUS, type ErrorCode } from './errors.ts';
import { liveOrderSchema } from './orders.ts';
import { authorTypeSchema, messageSchema, ticketSchema } from './tickets.ts';
import { ALERT_KINDS, AVAILABILITY_STATUSES, FRAME, ORDER_CHANNEL_PREFIX, TICKET_CHANNEL_PREFIX } from './realtime-constants.ts';

// Names and limits live in a module without zod, so that the browser client stays tiny.
export * from './realtime-constants.ts';

/** The ticket id of a `ticket:<uuid>` channel, or null for any other name. */
export function ticketIdOfChannel(channel: string): string | null {
  if (!channel.startsWith(TICKET_CHANNEL_PREFIX)) return null;
  const id = channel.slice(TICKET_CHANNEL_PREFIX.length);
  return z.uuid().safeParse(id).success ? id.toLowerCase() : null;
}

/** The order number (upper-cased) of an `order:<number>` channel, or null for any other name. */
export function orderNumberOfChannel(channel: string): string | null {
  if (!channel.startsWith(ORDER_CHANNEL_PREFIX)) return null;
  const n = channel.slice(ORDER_CHANNEL_PREFIX.length);
  return /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(n) ? n.toUpperCase() : null;
}

const channelSchema = z.string().min(1).max(64);

/**
 * `since`: where a resumed conversation starts: a message `seq` (number or digits), a message id, or a
 * cursor of the messages API. Every message after it is sent before live ones.
 */
export const sinceSchema = z.union([z.number().int().min(0).max(2_147_483_647), z.string().min(1).max(200)]);

// ---- client → server ----

// Strict, like every request body: an unknown field is an invalid_request, never silently dropped.
export const subscribeFrameSchema = z.strictObject({
  type: z.literal(FRAME.subscribe),
  channel: channelSchema,
  token: z.string().max(200).optional(),
  since: sinceSchema.optional(),
});
export const unsubscribeFrameSchema = z.strictObject({ type: z.literal(FRAME.unsubscribe), channel: channelSchema });
export const typingFrameSchema = z.strictObject({ type: z.literal(FRAME.typing), channel: channelSchema, typing: z.boolean() });
/** An application-level ping: browsers cannot see WebSocket pings, so the client detects a dead link this way. */
export const pingFrameSchema = z.strictObject({ type: z.literal(FRAME.ping) });
/** Agents only: the tab's person went idle or came back (docs/realtime.md, "Agents' availability"). */
export const activityFrameSchema = z.strictObject({ type: z.literal(FRAME.activity), idle: z.boolean() });

export const clientFrameSchema = z.discriminatedUnion('type', [
  subscribeFrameSchema,
  unsubscribeFrameSchema,
  typingFrameSchema,
  pingFrameSchema,
  activityFrameSchema,
]);
export type SubscribeFrame = z.infer<typeof subscribeFrameSchema>;

// ---- server → client ----

export const availabilityStatusSchema = z.enum(AVAILABILITY_STATUSES);

/** An alert for one agent: a new ticket (unassigned or theirs), a customer's answer on their ticket, an @mention. */
export const alertSchema = z.object({
  kind: z.enum([ALERT_KINDS.ticketCreated, ALERT_KINDS.customerMessage, ALERT_KINDS.mention]),
  ticket_id: z.string(),
  /** The customer's address (new ticket, answer). */
  email: z.string().nullable(),
  /** The start of the customer's message or of the note. */
  excerpt: z.string(),
  /** Who mentioned the agent (mentions only). */
  by: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** The stored mention's id (mentions only): POST /api/agent/mentions/read takes it. */
  mention_id: z.string().nullable(),
  created_at: z.string(),
});
export type Alert = z.infer<typeof alertSchema>;

const errorCodeSchema = z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]);

export const serverFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal(FRAME.subscribed), channel: z.string() }),
  z.object({ type: z.literal(FRAME.unsubscribed), channel: z.string() }),
  z.object({ type: z.literal(FRAME.messageCreated), channel: z.string(), message: messageSchema }),
  /** Only on `queue`. */
  z.object({ type: z.literal(FRAME.ticketCreated), channel: z.string(), ticket: ticketSchema }),
  z.object({ type: z.literal(FRAME.ticketUpdated), channel: z.string(), ticket: ticketSchema }),
  /** On `order:<number>`: the order's state right after subscribing, then after every change. */
  z.object({ type: z.literal(FRAME.orderUpdated), channel: z.string(), order: liveOrderSchema }),
  z.object({
    type: z.literal(FRAME.typing),
    channel: z.string(),
    author_type: authorTypeSchema,
    typing: z.boolean(),
    /** Only to the other agents of the ticket: which agent is typing (a customer never gets it). */
    agent: z.object({ id: z.string(), name: z.string() }).optional(),
  }),
  /** How many distinct agents are viewing the ticket, across every server instance. */
  z.object({ type: z.literal(FRAME.presence), channel: z.string(), agents: z.number().int().min(0) }),
  /** Only to agents on `ticket:<id>`: its internal timeline changed (refetch the ticket). */
  z.object({ type: z.literal(FRAME.timelineUpdated), channel: z.string() }),
  /**
   * On both tickets of a merge (and again to whoever subscribes to the merged ticket later): `into` is
   * the kept ticket, which holds both conversations renumbered in time order. The merged ticket's widget
   * follows it (its token opens it); the kept ticket's subscribers reload its messages.
   */
  z.object({ type: z.literal(FRAME.ticketMerged), channel: z.string(), into: z.string() }),
  /** On `team`: an agent's availability now. */
  z.object({ type: z.literal(FRAME.availability), channel: z.string(), agent_id: z.string(), availability: availabilityStatusSchema }),
  /** On `team`, to the agent it is for only. */
  z.object({ type: z.literal(FRAME.alert), channel: z.string(), alert: alertSchema }),
  z.object({ type: z.literal(FRAME.pong) }),
  /** `channel` names the subscription the error is about, when there is one. */
  z.object({ type: z.literal(FRAME.error), code: errorCodeSchema, message: z.string(), channel: z.string().optional() }),
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
