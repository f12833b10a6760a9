import type { Queryable } from '../../db/index.ts';

/** Event names on the database bus (PostgreSQL NOTIFY), each defined once. */
export const BUS_EVENTS = {
  messageCreated: 'message.created',
  ticketCreated: 'ticket.created',
  ticketUpdated: 'ticket.updated',
  /** An agent was disabled or logged out everywhere: every instance closes that agent's sockets. */
  agentRevoked: 'agent.revoked',
  /** An order's status, ETA or items changed (orders module): widgets tracking it reload it. */
  orderUpdated: 'order.updated',
  /** Someone started or stopped typing on a ticket: relayed live, never stored. */
  typing: 'typing',
  /** The set of agents viewing a ticket changed (realtime_presence): receivers recount. */
  presenceChanged: 'presence.changed',
  /** An instance's periodic probe of its own listener: proves every earlier event was heard. */
  probe: 'probe',
} as const;

/**
 * What travels through NOTIFY: identifiers only, far below its 8,000-byte limit; receivers load the rows.
 * `seq` lets a receiver order and de-duplicate messages without a query.
 */
export type BusEvent =
  | { type: typeof BUS_EVENTS.messageCreated; ticketId: string; messageId: string; seq: number }
  | { type: typeof BUS_EVENTS.ticketCreated; ticketId: string }
  | { type: typeof BUS_EVENTS.ticketUpdated; ticketId: string }
  | { type: typeof BUS_EVENTS.agentRevoked; agentId: string }
  | { type: typeof BUS_EVENTS.orderUpdated; orderNumber: string }
  | { type: typeof BUS_EVENTS.typing; ticketId: string; authorType: 'user' | 'agent'; typing: boolean }
  | { type: typeof BUS_EVENTS.presenceChanged; ticketId: string }
  | { type: typeof BUS_EVENTS.probe; instanceId: string; at: string };

/** The NOTIFY channel of a schema: test schemas on one server do not hear each other. */
export const BUS_CHANNEL_SQL = `'tf_events_' || current_schema()`;

/**
 * Publishes an event from inside the transaction that wrote its rows: PostgreSQL delivers a NOTIFY
 * only when that transaction commits, and never when it rolls back.
 */
export async function publishEvent(tx: Queryable, event: BusEvent): Promise<void> {
  await tx.query(`SELECT pg_notify(${BUS_CHANNEL_SQL}, $1)`, [JSON.stringify(event)]);
}

/**
 * Tells every instance to close the sockets of this agent (disabled, or logged out everywhere).
 * Call it inside the transaction that revoked the sessions: it takes effect when that commits.
 */
export async function publishAgentRevoked(tx: Queryable, agentId: string): Promise<void> {
  await publishEvent(tx, { type: BUS_EVENTS.agentRevoked, agentId });
}
