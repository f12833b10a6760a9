import type { FastifyBaseLogger } from 'fastify';
import type { TicketPriority } from '../../../contracts/tickets.ts';
import type { Db, Queryable } from '../../db/index.ts';
import { insertAnalyticsEvent } from '../analytics/analytics.repo.ts';
import { BUS_EVENTS, publishEvent } from '../../events/bus.ts';
import {
  DEFAULT_ESCALATION_AFTER_MINUTES,
  ESCALATABLE_PRIORITIES,
  nextPriority,
  parseEscalationWindows,
  type EscalatablePriority,
  type EscalationWindows,
} from './escalation-config.ts';

/** Tickets escalated per transaction: row locks stay short, a large backlog is worked through in batches. */
const BATCH_SIZE = 100;

export const TIMEOUT_ESCALATION_ACTION = 'timeout_escalation';

export type Escalation = { ticketId: string; from: EscalatablePriority; to: TicketPriority };

type Candidate = { id: string; priority: EscalatablePriority; waiting_since: Date };

/**
 * Open tickets nobody answered whose current priority has lasted longer than its window, locked for this
 * transaction. SKIP LOCKED: a ticket another instance is escalating right now is left to that instance.
 */
async function lockDueTickets(tx: Queryable, windows: EscalationWindows, now: Date, limit: number): Promise<Candidate[]> {
  const priorities = ESCALATABLE_PRIORITIES.filter((p) => windows[p] !== undefined);
  if (!priorities.length) return [];
  const minutes = priorities.map((p) => windows[p]!);
  const { rows } = await tx.query<Candidate>(
    `SELECT r.id, r.priority, COALESCE(r.priority_changed_at, r.created_at) AS waiting_since
       FROM support_requests r
       JOIN unnest($1::text[], $2::float8[]) AS w(priority, minutes) ON w.priority = r.priority
      WHERE r.status = 'open'
        AND r.last_agent_reply_at IS NULL
        AND COALESCE(r.priority_changed_at, r.created_at) <= $3::timestamptz - w.minutes * interval '1 minute'
      ORDER BY COALESCE(r.priority_changed_at, r.created_at)
      LIMIT $4
      FOR UPDATE OF r SKIP LOCKED`,
    [priorities, minutes, now, limit],
  );
  return rows;
}

/**
 * Raises one ticket one step, only if it is still in the state it was selected in (the guard makes a
 * second attempt at the same step a no-op), and records why: analytics, agent_actions, bus event.
 */
async function escalateTicket(tx: Queryable, c: Candidate, now: Date): Promise<Escalation | null> {
  const to = nextPriority(c.priority);
  const { rowCount } = await tx.query(
    `UPDATE support_requests
        SET priority = $3, priority_changed_at = $4, updated_at = now()
      WHERE id = $1 AND priority = $2 AND status = 'open' AND last_agent_reply_at IS NULL`,
    [c.id, c.priority, to, now],
  );
  if (rowCount !== 1) return null;
  const waitedMinutes = Math.floor((now.getTime() - new Date(c.waiting_since).getTime()) / 60_000);
  await insertAnalyticsEvent(tx, {
    metricType: 'timeout_escalation',
    requestId: c.id,
    metadata: { from: c.priority, to, waited_minutes: waitedMinutes },
  });
  await tx.query(
    `INSERT INTO agent_actions (ticket_id, agent_id, action, details) VALUES ($1, NULL, $2, $3)`,
    [c.id, TIMEOUT_ESCALATION_ACTION, JSON.stringify({ from: c.priority, to, waited_minutes: waitedMinutes })],
  );
  await publishEvent(tx, { type: BUS_EVENTS.ticketUpdated, ticketId: c.id });
  return { ticketId: c.id, from: c.priority, to };
}

/**
 * One pass of the timeout escalation: every open ticket without an agent reply whose priority has lasted
 * longer than its window (counted from creation, or from the last priority change) goes up one step.
 * Safe to run on several instances at once: each ticket and step is escalated exactly once.
 */
export async function runEscalationOnce(
  db: Db,
  options: { windows?: EscalationWindows; now?: Date } = {},
): Promise<Escalation[]> {
  const now = options.now ?? new Date();
  const windows = options.windows ?? parseEscalationWindows(DEFAULT_ESCALATION_AFTER_MINUTES);
  const done: Escalation[] = [];
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const due = await lockDueTickets(tx, windows, now, BATCH_SIZE);
      const escalated: Escalation[] = [];
      for (const c of due) {
        const e = await escalateTicket(tx, c, now);
        if (e) escalated.push(e);
      }
      return { selected: due.length, escalated };
    });
    done.push(...batch.escalated);
    if (batch.selected < BATCH_SIZE) return done;
  }
}

/**
 * Runs the escalation every `intervalSeconds` inside the server, one pass at a time. `stop()` clears the
 * timer and waits for a pass in progress, so the database can be closed after it.
 */
export function startEscalationScheduler(options: {
  db: Db;
  windows: EscalationWindows;
  intervalSeconds: number;
  logger: FastifyBaseLogger;
  /** Told of every failed pass (after it is logged). */
  onError?: (err: unknown) => void;
}): { stop: () => Promise<void> } {
  const { db, windows, logger } = options;
  if (!ESCALATABLE_PRIORITIES.some((p) => windows[p] !== undefined)) {
    logger.info('timeout escalation is off');
    return { stop: async () => {} };
  }
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = runEscalationOnce(db, { windows })
      .then((escalated) => {
        if (escalated.length) logger.info({ escalated: escalated.length }, 'tickets escalated after waiting too long');
      })
      .catch((err) => {
        logger.warn({ err }, 'timeout escalation pass failed');
        options.onError?.(err);
      })
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, options.intervalSeconds * 1000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
