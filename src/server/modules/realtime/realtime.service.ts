import type { Lang } from '../../../contracts/common.ts';
import { QUEUE_CHANNEL, TEAM_CHANNEL, orderChannel, orderNumberOfChannel, ticketChannel, ticketIdOfChannel } from '../../../contracts/realtime.ts';
import { uuidSchema } from '../../../contracts/common.ts';
import type { Queryable } from '../../db/index.ts';
import { AppError } from '../../http/app-error.ts';
import type { SessionAgent } from '../agents/index.ts';
import { authorizeTicket, decodeCursor, findMessageSeq, findTicketById } from '../tickets/index.ts';
import { authorizeOrderSubscription } from '../orders/index.ts';

/** Which side of a ticket's conversation a subscriber is on: typing is relayed to the other side. */
export type Side = 'customer' | 'agent';

export type SubscriptionGrant =
  /** `mergedInto`: the ticket was merged into that one (a ticket.merged frame follows the subscription). */
  | { kind: 'ticket'; channel: string; ticketId: string; side: Side; lang: Lang; mergedInto?: string }
  | { kind: 'queue'; channel: typeof QUEUE_CHANNEL; side: 'agent' }
  /** The team's availability and the subscriber's own alerts. */
  | { kind: 'team'; channel: typeof TEAM_CHANNEL; side: 'agent' }
  /** `token` is kept: each live frame re-checks it (it changes when the order's e-mail changes). */
  | { kind: 'order'; channel: string; orderNumber: string; token: string };

/**
 * The one place that decides who may listen to a channel.
 * - `ticket:<id>` with a token: a customer, when the token is that ticket's (else 401/404 as over HTTP).
 * - `ticket:<id>` without a token: an agent (session cookie), for any existing ticket.
 * - `queue`, `team`: agents only.
 * - `order:<number>` with the order's tracking token (from GET /api/orders/track); a wrong token and an
 *   unknown number are the same 404.
 * A token wins over a session, so an agent trying the customer widget is treated as that customer.
 */
export async function authorizeSubscription(options: {
  db: Queryable;
  channel: string;
  token?: string | null;
  agent: SessionAgent | null;
}): Promise<SubscriptionGrant> {
  const { db, channel, token, agent } = options;
  if (channel === QUEUE_CHANNEL) {
    if (!agent) throw new AppError('unauthorized', { reason: 'realtime_agents_only' });
    return { kind: 'queue', channel: QUEUE_CHANNEL, side: 'agent' };
  }
  if (channel === TEAM_CHANNEL) {
    if (!agent) throw new AppError('unauthorized', { reason: 'realtime_agents_only' });
    return { kind: 'team', channel: TEAM_CHANNEL, side: 'agent' };
  }
  const orderNumber = orderNumberOfChannel(channel);
  if (orderNumber) {
    if (!token) throw new AppError('unauthorized', { reason: 'token_required' });
    const order = await authorizeOrderSubscription(db, orderNumber, token);
    if (!order) throw new AppError('not_found', { reason: 'order_not_found' });
    return { kind: 'order', channel: orderChannel(order.number), orderNumber: order.number, token };
  }
  const ticketId = ticketIdOfChannel(channel);
  if (!ticketId) throw new AppError('invalid_request', { reason: 'realtime_unknown_channel' });
  if (token || !agent) {
    const row = await authorizeTicket(db, ticketId, token ?? null);
    return { kind: 'ticket', channel: ticketChannel(ticketId), ticketId, side: 'customer', lang: row.lang, ...mergedInto(row) };
  }
  const row = await findTicketById(db, ticketId);
  if (!row) throw new AppError('not_found', { reason: 'ticket_not_found' });
  return { kind: 'ticket', channel: ticketChannel(ticketId), ticketId, side: 'agent', lang: row.lang, ...mergedInto(row) };
}

function mergedInto(row: { merged_into: string | null }): { mergedInto?: string } {
  return row.merged_into ? { mergedInto: row.merged_into } : {};
}

/** Whether a customer's token still opens its ticket (false once a new token replaced it). */
export async function tokenStillOpens(db: Queryable, ticketId: string, token: string | undefined): Promise<boolean> {
  try {
    await authorizeTicket(db, ticketId, token ?? null);
    return true;
  } catch (err) {
    if (err instanceof AppError && err.status < 500) return false;
    throw err;
  }
}

/**
 * The seq after which a resumed subscription starts. `since` is a seq (number or digits), the id of a
 * message of this ticket, or a cursor of the messages API.
 */
export async function resolveSince(db: Queryable, ticketId: string, since: number | string): Promise<number> {
  if (typeof since === 'number') return since;
  if (/^\d{1,10}$/.test(since)) {
    const seq = Number(since);
    if (seq <= 2_147_483_647) return seq;
  }
  if (uuidSchema.safeParse(since).success) {
    const seq = await findMessageSeq(db, ticketId, since);
    if (seq === null) throw new AppError('invalid_request', { reason: 'invalid_cursor' });
    return seq;
  }
  return decodeCursor(since);
}
