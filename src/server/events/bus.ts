import { afterCommit } from '../db/after-commit.ts';
import type { Db, Queryable } from '../db/index.ts';

/** Event names on the database bus (PostgreSQL NOTIFY), each defined once. */
export const BUS_EVENTS = {
  messageCreated: 'message.created',
  ticketCreated: 'ticket.created',
  ticketUpdated: 'ticket.updated',
  /** An agent was disabled or logged out everywhere: every instance closes that agent's sockets. */
  agentRevoked: 'agent.revoked',
  /** A ticket's customer token was replaced or one of its tokens withdrawn: subscribers' tokens are checked again. */
  ticketTokenRevoked: 'ticket.token_revoked',
  /** An order's status, ETA or items changed (orders module): widgets tracking it reload it. */
  orderUpdated: 'order.updated',
  /** Someone started or stopped typing on a ticket: relayed live, never stored. */
  typing: 'typing',
  /** A ticket's internal timeline changed (a note): told to the agents viewing it, never to its customer. */
  timelineUpdated: 'timeline.updated',
  /** Ticket `mergedId` was merged into `ticketId`: subscribers of both are told (ticket.merged frame). */
  ticketMerged: 'ticket.merged',
  /** An agent's availability may have changed (sockets, activity, their choice): `team` subscribers are told. */
  availabilityChanged: 'agent.availability_changed',
  /** A note named an agent with `@` (agent_mentions): that agent's sockets get an alert. */
  mentionCreated: 'mention.created',
  /** The set of agents viewing a ticket changed (realtime_presence): receivers recount. */
  presenceChanged: 'presence.changed',
  /** An instance's periodic probe of its own listener: proves every earlier event was heard. */
  probe: 'probe',
  /** The bot was retrained after an admin taught it a question (bot_models): every instance loads that model. */
  botModelUpdated: 'bot.model_updated',
} as const;

/**
 * What travels through NOTIFY: identifiers only, far below its 8,000-byte limit; receivers load the rows.
 * `seq` lets a receiver order and de-duplicate messages without a query.
 */
export type BusEvent =
  // attachments: how many files the message carries, when its publisher knows (0: receivers read no files).
  | { type: typeof BUS_EVENTS.messageCreated; ticketId: string; messageId: string; seq: number; attachments?: number }
  | { type: typeof BUS_EVENTS.ticketCreated; ticketId: string }
  | { type: typeof BUS_EVENTS.ticketUpdated; ticketId: string }
  // recheck: only some of the agent's sessions ended (a logout): close the sockets whose session did.
  | { type: typeof BUS_EVENTS.agentRevoked; agentId: string; recheck?: boolean }
  | { type: typeof BUS_EVENTS.ticketTokenRevoked; ticketId: string }
  | { type: typeof BUS_EVENTS.orderUpdated; orderNumber: string }
  // agent: who types, on the agent side (told to the other agents of the ticket, never to the customer).
  | { type: typeof BUS_EVENTS.typing; ticketId: string; authorType: 'user' | 'agent'; typing: boolean; agent?: { id: string; name: string } }
  | { type: typeof BUS_EVENTS.availabilityChanged; agentId: string }
  | { type: typeof BUS_EVENTS.mentionCreated; mentionId: string; agentId: string; ticketId: string }
  | { type: typeof BUS_EVENTS.presenceChanged; ticketId: string }
  | { type: typeof BUS_EVENTS.timelineUpdated; ticketId: string }
  | { type: typeof BUS_EVENTS.ticketMerged; ticketId: string; mergedId: string }
  | { type: typeof BUS_EVENTS.probe; instanceId: string; at: string }
  | { type: typeof BUS_EVENTS.botModelUpdated; modelId: string };

/**
 * The NOTIFY channel of a schema (test schemas on one server do not hear each other), as SQL: the one
 * definition is the function tf_bus_channel() (migrations/functions/bus-channel.sql), which the plpgsql
 * of the customer's send calls too.
 */
export const BUS_CHANNEL_SQL = 'tf_bus_channel()';

/**
 * Publishes an event from inside the transaction that wrote its rows: PostgreSQL delivers a NOTIFY
 * only when that transaction commits, and never when it rolls back.
 */
export async function publishEvent(tx: Queryable, event: BusEvent): Promise<void> {
  await tx.query(`SELECT pg_notify(${BUS_CHANNEL_SQL}, $1)`, [JSON.stringify(event)]);
}

/**
 * Tells every instance that a token of this ticket stopped opening it (a new token issued, a link
 * withdrawn): each closes the subscriptions whose token no longer does. Call it inside the transaction
 * that changed the tokens: it takes effect when that commits.
 */
export async function publishTicketTokenRevoked(tx: Queryable, ticketId: string): Promise<void> {
  await publishEvent(tx, { type: BUS_EVENTS.ticketTokenRevoked, ticketId });
}

/** PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more. */
const NOTIFY_PAYLOAD_MAX_BYTES = 7999;
/** Events sent by one statement at most (each is its own notification). */
const MAX_EVENTS_PER_ROUND = 1000;

type WarnLog = { warn: (obj: object, msg: string) => void };

/**
 * What the process that wrote a message hands its own listeners beside `message.created` (never sent
 * over NOTIFY): the stored row (`SELECT *` of support_messages) and its attachments as the message shows
 * them, so that this instance's subscribers get it without a NOTIFY round trip and without reading it back.
 */
export type LocalMessageDetail = { row: { id: string; request_id: string; seq: number }; attachments: readonly unknown[] };

/** A listener in the publishing process: told each event when it is published (after its commit). */
export type LocalBusListener = (event: BusEvent, detail: LocalMessageDetail | undefined) => void;

/**
 * Sends bus events outside any writing transaction, coalesced: while one NOTIFY round trip is in flight,
 * new events queue, and the next round sends them all in one statement. A NOTIFY inside the writing
 * transaction would take PostgreSQL's server-wide notify lock at COMMIT and hold it through the WAL
 * flush, serialising every sending commit (docs/load-test.md). An event lost here (the process dies
 * after COMMIT, the statement fails) is caught up by the hubs: by seq on the ticket's next message, and
 * by their periodic sweep (modules/realtime/recovery.ts).
 */
export class BusPublisher {
  private queue: string[] = [];
  private running: Promise<void> | null = null;
  private readonly local = new Set<LocalBusListener>();
  log: WarnLog | null = null;

  constructor(private readonly db: Queryable) {}

  /**
   * Tells `listener` every event this process publishes, at once (the hub of this instance: its
   * subscribers need not wait for the NOTIFY, which still goes out to every instance, this one included).
   * Returns the function that stops it.
   */
  onLocal(listener: LocalBusListener): () => void {
    this.local.add(listener);
    return () => this.local.delete(listener);
  }

  /** Queues the event (and tells this process's listeners, with `detail`); never waits and never throws. */
  publish(event: BusEvent, detail?: LocalMessageDetail): void {
    for (const listener of this.local) {
      try {
        listener(event, detail);
      } catch (err) {
        this.log?.warn({ err, type: event.type }, 'realtime: local bus listener failed (the NOTIFY still goes out)');
      }
    }
    const payload = JSON.stringify(event);
    if (Buffer.byteLength(payload) > NOTIFY_PAYLOAD_MAX_BYTES) {
      this.log?.warn({ type: event.type, bytes: Buffer.byteLength(payload) }, 'realtime: bus event too large, not published');
      return;
    }
    this.queue.push(payload);
    this.running ??= this.run();
  }

  /** Resolves once every event queued so far has been sent (or failed). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  private async run(): Promise<void> {
    // Events published during this turn of the event loop join the first round.
    await Promise.resolve();
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_EVENTS_PER_ROUND);
        try {
          await this.db.query(`SELECT pg_notify(${BUS_CHANNEL_SQL}, p) FROM unnest($1::text[]) AS p`, [batch]);
        } catch (err) {
          this.log?.warn({ err, events: batch.length }, 'realtime: bus events not published (hubs catch up by seq)');
        }
      }
    } finally {
      this.running = null;
    }
  }
}

const publishers = new WeakMap<Db, BusPublisher>();

/** This process's publisher for a database. */
export function busPublisher(db: Db): BusPublisher {
  let publisher = publishers.get(db);
  if (!publisher) publishers.set(db, (publisher = new BusPublisher(db)));
  return publisher;
}

/**
 * Publishes an event once the transaction `tx` has committed (never when it rolls back), through the
 * coalescing publisher: the caller does not wait for the NOTIFY. Only for events a hub can recover when
 * the notification is lost (message.created: per-ticket seq).
 */
export function publishAfterCommit(tx: Queryable, event: BusEvent, detail?: LocalMessageDetail): void {
  afterCommit(tx, (db) => busPublisher(db).publish(event, detail));
}
