import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  FINAL_ORDER_STATUSES,
  ORDER_LIMITS,
  ORDER_STATUSES,
  type LiveOrder,
  type Order,
  type OrderStatus,
  type OrderWebhookBody,
  type TrackedOrder,
} from '../../../contracts/orders.ts';
import type { Db, Queryable } from '../../db/index.ts';
import { iso, isoOrNull } from '../../db/rows.ts';
import { AppError } from '../../http/app-error.ts';
import { BUS_EVENTS, publishEvent } from '../../events/bus.ts';
import {
  countTrackFailures,
  findOrderByNumber,
  findOrderByNumberAndEmail,
  insertOrder,
  insertOrderEvent,
  isNewerThanApplied,
  listOrderEvents,
  lockOrderByNumber,
  recordTrackFailure,
  updateOrder,
  type OrderEventRow,
  type OrderRow,
} from './orders.repo.ts';

/** How far in the future an update may be stamped: a far-future stamp would shadow every later update. */
const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

/**
 * Whether an order may go from `from` to `to`: forward along the normal path (skipping steps is fine,
 * the ordering system may not report each one), or to `cancelled` while unfinished; never back, never
 * out of `delivered` or `cancelled`. Staying is always allowed (an ETA or items update).
 */
export function isAllowedTransition(from: OrderStatus, to: OrderStatus): boolean {
  if (from === to) return true;
  if (FINAL_ORDER_STATUSES.includes(from)) return false;
  if (to === 'cancelled') return true;
  return ORDER_STATUSES.indexOf(to) > ORDER_STATUSES.indexOf(from);
}

function toOrder(row: OrderRow, events: OrderEventRow[]): Order {
  return {
    number: row.number,
    email: row.email,
    status: row.status,
    eta: isoOrNull(row.eta),
    items: row.items,
    events: events.map((e) => ({ status: e.status, at: iso(e.at), note: e.note })),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

function toTrackedOrder(row: OrderRow, events: OrderEventRow[]): TrackedOrder {
  return {
    number: row.number,
    status: row.status,
    eta: isoOrNull(row.eta),
    events: events.map((e) => ({ status: e.status, at: iso(e.at) })),
    items: row.items,
    updated_at: iso(row.updated_at),
    trackingToken: row.tracking_token,
  };
}

function newTrackingToken(): string {
  return randomBytes(32).toString('base64url');
}

export type AppliedOrderUpdate = { order: Order; applied: boolean; created: boolean };

/**
 * Creates or updates an order from the ordering system, idempotently: an update not newer (by
 * `updatedAt`, then `sequence`) than the last one applied changes nothing; a status change writes one
 * order event; any change publishes `order.updated`. All in one transaction under the order's row lock.
 */
export async function applyOrderUpdate(options: { db: Db; input: OrderWebhookBody; now?: Date }): Promise<AppliedOrderUpdate> {
  const { db, input } = options;
  const now = options.now ?? new Date();
  if (Date.parse(input.updatedAt) > now.getTime() + MAX_FUTURE_SKEW_MS) {
    throw new AppError('invalid_request', { reason: 'order_update_in_future' });
  }
  const sequence = input.sequence ?? 0;
  const note = input.note ?? null;

  return db.transaction(async (tx) => {
    let row = await lockOrderByNumber(tx, input.number);
    if (!row) {
      const inserted = await insertOrder(tx, {
        number: input.number,
        email: input.email,
        status: input.status,
        items: input.items ?? [],
        eta: input.eta ?? null,
        sourceUpdatedAt: input.updatedAt,
        sourceSequence: sequence,
        trackingToken: newTrackingToken(),
      });
      if (inserted) {
        await insertOrderEvent(tx, { orderId: inserted.id, status: inserted.status, at: input.updatedAt, note });
        await publishEvent(tx, { type: BUS_EVENTS.orderUpdated, orderNumber: inserted.number });
        return { order: toOrder(inserted, await listOrderEvents(tx, inserted.id)), applied: true, created: true };
      }
      // Another request created it between our look-up and our insert: continue as an update.
      row = await lockOrderByNumber(tx, input.number);
      if (!row) throw new Error(`order ${input.number} vanished during its creation`);
    }

    if (!(await isNewerThanApplied(tx, row.id, input.updatedAt, sequence))) {
      return { order: toOrder(row, await listOrderEvents(tx, row.id)), applied: false, created: false };
    }
    if (!isAllowedTransition(row.status, input.status)) {
      throw new AppError('conflict', { reason: 'order_transition', details: { from: row.status, to: input.status } });
    }
    const updated = await updateOrder(tx, row.id, {
      email: input.email,
      status: input.status,
      items: input.items ?? row.items,
      eta: input.eta === undefined ? isoOrNull(row.eta) : input.eta,
      sourceUpdatedAt: input.updatedAt,
      sourceSequence: sequence,
      newTrackingToken: newTrackingToken(),
    });
    if (updated.status !== row.status) {
      await insertOrderEvent(tx, { orderId: row.id, status: updated.status, at: input.updatedAt, note });
    }
    await publishEvent(tx, { type: BUS_EVENTS.orderUpdated, orderNumber: updated.number });
    return { order: toOrder(updated, await listOrderEvents(tx, row.id)), applied: true, created: false };
  });
}

/**
 * The order a customer tracks with its number and e-mail. A number of another e-mail and a number that
 * does not exist take the same path and give the same 404. Failed lookups are counted per client address
 * and per (number, client address); past either limit that address's lookups (even a right one) are 429
 * until the window moves on. Nothing is counted per number alone: strangers failing on a number must not
 * block its customer.
 */
export async function trackOrder(options: { db: Db; number: string; email: string; ip: string; now?: Date }): Promise<TrackedOrder> {
  const { db, number, email, ip } = options;
  const now = options.now ?? new Date();
  const windowMs = ORDER_LIMITS.trackFailureWindowSeconds * 1000;
  const windowStart = new Date(now.getTime() - windowMs);

  const failures = await countTrackFailures(db, ip, number, windowStart);
  const ipBlocked = failures.ip >= ORDER_LIMITS.trackFailuresPerIp;
  const numberBlocked = failures.number >= ORDER_LIMITS.trackFailuresPerNumberPerIp;
  if (ipBlocked || numberBlocked) {
    const oldest = [ipBlocked ? failures.oldestIp : null, numberBlocked ? failures.oldestNumber : null]
      .filter((d): d is Date => d !== null)
      .map((d) => d.getTime());
    const until = oldest.length ? Math.max(...oldest) + windowMs : now.getTime() + windowMs;
    throw new AppError('rate_limited', {
      reason: 'order_track_limit',
      retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)),
    });
  }

  const row = await findOrderByNumberAndEmail(db, number, email);
  if (!row) {
    await db.transaction((tx) => recordTrackFailure(tx, ip, number, windowStart));
    throw new AppError('not_found', { reason: 'order_not_found' });
  }
  return toTrackedOrder(row, await listOrderEvents(db, row.id));
}

/** The order linked to a ticket, only when it was placed with the ticket's e-mail address. */
export async function findOrderForTicket(
  q: Queryable,
  ticket: { email: string; order_number: string | null },
): Promise<Order | null> {
  if (!ticket.order_number) return null;
  const row = await findOrderByNumberAndEmail(q, ticket.order_number.trim().toUpperCase(), ticket.email.toLowerCase());
  return row ? toOrder(row, await listOrderEvents(q, row.id)) : null;
}

function tokenEquals(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The order behind a realtime `order:<number>` subscription, when `token` is its tracking token
 * (returned by GET /api/orders/track to whoever proved number and e-mail); null otherwise.
 */
export async function authorizeOrderSubscription(q: Queryable, number: string, token: string | null | undefined): Promise<TrackedOrder | null> {
  if (!token) return null;
  const row = await findOrderByNumber(q, number.trim().toUpperCase());
  if (!row) return null;
  if (!tokenEquals(token, row.tracking_token)) return null;
  return toTrackedOrder(row, await listOrderEvents(q, row.id));
}

/**
 * The current state of an order for live `order.updated` frames, and a check of each subscriber's token:
 * the token is replaced when the order's e-mail changes, and the previous holder must stop receiving.
 */
export async function loadLiveOrder(
  q: Queryable,
  number: string,
): Promise<{ order: LiveOrder; tokenMatches: (token: string) => boolean } | null> {
  const row = await findOrderByNumber(q, number);
  if (!row) return null;
  const { trackingToken: _omitted, ...order } = toTrackedOrder(row, await listOrderEvents(q, row.id));
  return { order, tokenMatches: (token) => tokenEquals(token, row.tracking_token) };
}
