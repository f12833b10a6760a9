import { z } from 'zod';
import { emailSchema, textSchema } from './common.ts';

/** An order's statuses, in the order they normally follow; `cancelled` may end any unfinished order. */
export const ORDER_STATUSES = ['received', 'preparing', 'ready', 'out_for_delivery', 'delivered', 'cancelled'] as const;
export const orderStatusSchema = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof orderStatusSchema>;

/** Statuses an order never leaves. */
export const FINAL_ORDER_STATUSES: readonly OrderStatus[] = ['delivered', 'cancelled'];

export const ORDER_LIMITS = {
  numberMaxChars: 64,
  itemsMax: 100,
  itemNameMaxChars: 200,
  noteMaxChars: 500,
  /** Failed tracking lookups allowed from one client address within the window. */
  trackFailuresPerIp: 20,
  /**
   * Failed tracking lookups allowed on one order number from one client address within the window: a
   * stranger guessing e-mails for a number spends only their own budget, never the customer's.
   */
  trackFailuresPerNumberPerIp: 10,
  trackFailureWindowSeconds: 15 * 60,
} as const;

/** The webhook's authentication headers (docs/orders.md). */
export const ORDER_WEBHOOK_HEADERS = {
  timestamp: 'x-tf-timestamp',
  signature: 'x-tf-signature',
} as const;
/** How far a webhook's timestamp may be from the server's clock, either way. */
export const ORDER_WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

/** An order number as typed by a customer or sent by the ordering system; compared upper-cased. */
export const orderNumberSchema = textSchema(ORDER_LIMITS.numberMaxChars)
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'letters, digits, - and _ only')
  .transform((s) => s.toUpperCase());

export const orderItemSchema = z.strictObject({
  name: textSchema(ORDER_LIMITS.itemNameMaxChars).trim().min(1),
  qty: z.number().int().min(1).max(1000),
  /** Unit price in euros. */
  price: z.number().min(0).max(100_000),
});
export type OrderItem = z.infer<typeof orderItemSchema>;

/**
 * One create-or-update from the ordering system. `updatedAt` (and `sequence` for updates sharing a
 * timestamp) orders updates: one not newer than the last applied is ignored.
 */
export const orderWebhookBodySchema = z.strictObject({
  number: orderNumberSchema,
  email: emailSchema,
  status: orderStatusSchema,
  items: z.array(orderItemSchema).max(ORDER_LIMITS.itemsMax).optional(),
  eta: z.iso.datetime({ offset: true }).nullable().optional(),
  updatedAt: z.iso.datetime({ offset: true }),
  sequence: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  note: textSchema(ORDER_LIMITS.noteMaxChars).optional(),
});
export type OrderWebhookBody = z.infer<typeof orderWebhookBodySchema>;

export const orderEventSchema = z.object({ status: orderStatusSchema, at: z.string() });

/** An order as the customer who proved its number and e-mail sees it. */
export const trackedOrderSchema = z.object({
  number: z.string(),
  status: orderStatusSchema,
  eta: z.string().nullable(),
  events: z.array(orderEventSchema),
  items: z.array(orderItemSchema),
  updated_at: z.string(),
  /** Subscribes to `order:<number>` on the realtime socket. */
  trackingToken: z.string(),
});
export type TrackedOrder = z.infer<typeof trackedOrderSchema>;

/** An order as a live `order.updated` frame carries it: the tracked shape without the token. */
export const liveOrderSchema = trackedOrderSchema.omit({ trackingToken: true });
export type LiveOrder = z.infer<typeof liveOrderSchema>;

/** An order as the ordering system and agents see it: with its e-mail and the events' notes. */
export const orderSchema = z.object({
  number: z.string(),
  email: z.string(),
  status: orderStatusSchema,
  eta: z.string().nullable(),
  items: z.array(orderItemSchema),
  events: z.array(orderEventSchema.extend({ note: z.string().nullable() })),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Order = z.infer<typeof orderSchema>;

/** An order in the agents' customer panel (GET /api/agent/tickets/:id/customer): without its events. */
export const customerOrderSchema = orderSchema.omit({ email: true, events: true });
export type CustomerOrder = z.infer<typeof customerOrderSchema>;

export const trackOrderQuerySchema = z.strictObject({
  number: orderNumberSchema,
  email: emailSchema,
});

export const trackOrderResponseSchema = z.object({ order: trackedOrderSchema });
export const orderWebhookResponseSchema = z.object({ order: orderSchema, applied: z.boolean() });
