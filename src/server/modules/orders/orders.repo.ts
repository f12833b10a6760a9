import type { OrderItem, OrderStatus } from '../../../contracts/orders.ts';
import type { Queryable } from '../../db/index.ts';

export type OrderRow = {
  id: string;
  number: string;
  email: string;
  status: OrderStatus;
  items: OrderItem[];
  eta: Date | null;
  source_updated_at: Date;
  /** bigint: compared in SQL only (drivers disagree on its JS type). */
  source_sequence: unknown;
  tracking_token: string;
  created_at: Date;
  updated_at: Date;
};

export type OrderEventRow = { status: OrderStatus; at: Date; note: string | null };

export async function findOrderByNumber(q: Queryable, number: string): Promise<OrderRow | null> {
  const { rows } = await q.query<OrderRow>('SELECT * FROM orders WHERE number = $1', [number]);
  return rows[0] ?? null;
}

/**
 * The order with this number only when it belongs to this e-mail: one index probe on the unique number
 * either way, so a number of someone else costs the same as a number that does not exist.
 */
export async function findOrderByNumberAndEmail(q: Queryable, number: string, email: string): Promise<OrderRow | null> {
  const { rows } = await q.query<OrderRow>('SELECT * FROM orders WHERE number = $1 AND email = $2', [number, email]);
  return rows[0] ?? null;
}

export async function lockOrderByNumber(tx: Queryable, number: string): Promise<OrderRow | null> {
  const { rows } = await tx.query<OrderRow>('SELECT * FROM orders WHERE number = $1 FOR UPDATE', [number]);
  return rows[0] ?? null;
}

/** Whether an update stamped (updatedAt, sequence) is newer than the last one applied to the order. */
export async function isNewerThanApplied(tx: Queryable, id: string, updatedAt: string, sequence: number): Promise<boolean> {
  const { rows } = await tx.query<{ newer: boolean }>(
    'SELECT ($2::timestamptz, $3::bigint) > (source_updated_at, source_sequence) AS newer FROM orders WHERE id = $1',
    [id, updatedAt, sequence],
  );
  return rows[0]?.newer === true;
}

/** Inserts a new order; null when another request inserted the same number first. */
export async function insertOrder(
  tx: Queryable,
  o: {
    number: string;
    email: string;
    status: OrderStatus;
    items: OrderItem[];
    eta: string | null;
    sourceUpdatedAt: string;
    sourceSequence: number;
    trackingToken: string;
  },
): Promise<OrderRow | null> {
  const { rows } = await tx.query<OrderRow>(
    `INSERT INTO orders (number, email, status, items, eta, source_updated_at, source_sequence, tracking_token)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (number) DO NOTHING
     RETURNING *`,
    [o.number, o.email, o.status, JSON.stringify(o.items), o.eta, o.sourceUpdatedAt, o.sourceSequence, o.trackingToken],
  );
  return rows[0] ?? null;
}

export async function updateOrder(
  tx: Queryable,
  id: string,
  o: {
    email: string;
    status: OrderStatus;
    items: OrderItem[];
    eta: string | null;
    sourceUpdatedAt: string;
    sourceSequence: number;
    /** Replaces the tracking token only when the e-mail changes: the previous owner loses the live view. */
    newTrackingToken: string;
  },
): Promise<OrderRow> {
  const { rows } = await tx.query<OrderRow>(
    `UPDATE orders
        SET email = $2, status = $3, items = $4, eta = $5, source_updated_at = $6, source_sequence = $7,
            tracking_token = CASE WHEN email = $2 THEN tracking_token ELSE $8 END,
            updated_at = now()
      WHERE id = $1
      RETURNING *`,
    [id, o.email, o.status, JSON.stringify(o.items), o.eta, o.sourceUpdatedAt, o.sourceSequence, o.newTrackingToken],
  );
  return rows[0]!;
}

export async function insertOrderEvent(
  tx: Queryable,
  e: { orderId: string; status: OrderStatus; at: string; note: string | null },
): Promise<void> {
  await tx.query('INSERT INTO order_events (order_id, status, at, note) VALUES ($1, $2, $3, $4)', [
    e.orderId,
    e.status,
    e.at,
    e.note,
  ]);
}

/** An order's history, oldest first. */
export async function listOrderEvents(q: Queryable, orderId: string): Promise<OrderEventRow[]> {
  const { rows } = await q.query<OrderEventRow>(
    'SELECT status, at, note FROM order_events WHERE order_id = $1 ORDER BY at, created_at',
    [orderId],
  );
  return rows;
}

/** Failed tracking lookups since `since`, for one client address and for one order number. */
export async function countTrackFailures(
  q: Queryable,
  ip: string,
  number: string,
  since: Date,
): Promise<{ ip: number; number: number; oldestIp: Date | null; oldestNumber: Date | null }> {
  const { rows } = await q.query<{ ip: number; number: number; oldest_ip: Date | null; oldest_number: Date | null }>(
    `SELECT count(*) FILTER (WHERE scope = 'ip')::int AS ip,
            count(*) FILTER (WHERE scope = 'number_ip')::int AS number,
            min(at) FILTER (WHERE scope = 'ip') AS oldest_ip,
            min(at) FILTER (WHERE scope = 'number_ip') AS oldest_number
       FROM order_track_failures
      WHERE at > $3 AND ((scope = 'ip' AND key = $1) OR (scope = 'number_ip' AND key = $2))`,
    [ip, numberIpKey(number, ip), since],
  );
  const r = rows[0]!;
  return { ip: r.ip, number: r.number, oldestIp: r.oldest_ip, oldestNumber: r.oldest_number };
}

/** The (order number, client address) pair failures are counted under: a space is in neither. */
function numberIpKey(number: string, ip: string): string {
  return `${number} ${ip}`;
}

/** Records one failed lookup and forgets those that left the window (an index range on `at`). */
export async function recordTrackFailure(tx: Queryable, ip: string, number: string, windowStart: Date): Promise<void> {
  await tx.query(`INSERT INTO order_track_failures (scope, key) VALUES ('ip', $1), ('number_ip', $2)`, [ip, numberIpKey(number, ip)]);
  await tx.query('DELETE FROM order_track_failures WHERE at <= $1', [windowStart]);
}

/** The orders placed with this e-mail address (stored lower-cased), newest first (the agents' customer panel). */
export async function listOrdersByEmail(q: Queryable, email: string, limit: number): Promise<OrderRow[]> {
  const { rows } = await q.query<OrderRow>('SELECT * FROM orders WHERE email = $1 ORDER BY created_at DESC, id LIMIT $2', [
    email.toLowerCase(),
    limit,
  ]);
  return rows;
}
