import type { FastifyBaseLogger } from 'fastify';
import { AGENT_ACTIONS } from '../../../contracts/agents.ts';
import type { TicketPriority } from '../../../contracts/tickets.ts';
import type { Db, Queryable } from '../../db/index.ts';
import {
  DEFAULT_ESCALATION_AFTER_MINUTES,
  ESCALATABLE_PRIORITIES,
  nextPriority,
  parseEscalationWindows,
  type EscalatablePriority,
  type EscalationWindows,
} from '../../escalation-windows.ts';
import { BUS_EVENTS, publishEvent } from '../../events/bus.ts';
import { insertAnalyticsEvent } from '../analytics/index.ts';
import { staffedWaitStarts } from '../locations/index.ts';
import { insertAgentAction } from './agent-actions.repo.ts';
import { lockDueTickets, raisePriority, type EscalationCandidate } from './escalation.repo.ts';

/** Tickets escalated per transaction: row locks stay short, a large backlog is worked through in batches. */
const BATCH_SIZE = 100;

export type Escalation = { ticketId: string; from: EscalatablePriority; to: TicketPriority };

/**
 * Raises one ticket one step, only if it is still in the state it was selected in, and records why:
 * analytics, agent_actions (no agent), bus event.
 */
async function escalateTicket(tx: Queryable, c: EscalationCandidate, now: Date): Promise<Escalation | null> {
  const to = nextPriority(c.priority);
  if (!(await raisePriority(tx, { id: c.id, from: c.priority, to, now }))) return null;
  const waitedMinutes = Math.floor((now.getTime() - new Date(c.waiting_since).getTime()) / 60_000);
  await insertAnalyticsEvent(tx, {
    metricType: 'timeout_escalation',
    requestId: c.id,
    metadata: { from: c.priority, to, waited_minutes: waitedMinutes },
  });
  await insertAgentAction(tx, {
    ticketId: c.id,
    agentId: null,
    action: AGENT_ACTIONS.timeoutEscalation,
    details: { from: c.priority, to, waited_minutes: waitedMinutes },
  });
  await publishEvent(tx, { type: BUS_EVENTS.ticketUpdated, ticketId: c.id });
  return { ticketId: c.id, from: c.priority, to };
}

/**
 * For each priority with a window, the instant from which a wait has lasted a full window of staffed
 * time at `now` (the support hours an admin set; wall-clock time without them): the clock stops while
 * support is closed, so a ticket opened at night is not raised before anyone could answer it.
 */
async function dueSince(tx: Queryable, windows: EscalationWindows, now: Date) {
  const priorities = ESCALATABLE_PRIORITIES.filter((p) => windows[p] !== undefined);
  const starts = await staffedWaitStarts(tx, now, priorities.map((p) => windows[p]!));
  return priorities.flatMap((priority, i) => (starts[i] ? [{ priority, since: starts[i] }] : []));
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
      const due = await lockDueTickets(tx, await dueSince(tx, windows, now), BATCH_SIZE);
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
