import { AGENT_ACTIONS, type TimelineAgent, type TimelineEntry } from '../../../contracts/agents.ts';
import type { TicketPriority, TicketStatus } from '../../../contracts/tickets.ts';
import type { Queryable } from '../../db/index.ts';
import { iso } from '../../db/rows.ts';
import { listAgentNames } from '../agents/index.ts';
import { listAgentActions, type AgentActionRow } from './agent-actions.repo.ts';
import { findRating } from './ratings.repo.ts';

type Details = {
  before?: { status?: TicketStatus; priority?: TicketPriority };
  after?: { status?: TicketStatus; priority?: TicketPriority };
  note?: string | null;
  from?: string | null;
  to?: string | null;
  reason?: string;
  waited_minutes?: number;
  into?: string;
};

/** The timeline entries one agent_actions row stands for (a PATCH may change status and priority and add a note). */
function entriesOf(row: AgentActionRow, who: (id: string | null | undefined) => TimelineAgent): TimelineEntry[] {
  const d = row.details as Details;
  const base = { id: row.id, created_at: iso(row.created_at), agent: who(row.agent_id) };
  switch (row.action) {
    case AGENT_ACTIONS.timeoutEscalation:
      return [
        { type: 'escalation', ...base, from: d.from as TicketPriority, to: d.to as TicketPriority, waited_minutes: d.waited_minutes ?? 0 },
      ];
    case AGENT_ACTIONS.merge:
      return [{ type: 'merge', ...base, from: String(d.from), into: String(d.into) }];
    case AGENT_ACTIONS.assignment:
      return [{ type: 'assignment', ...base, from: who(d.from), to: who(d.to), reason: d.reason ?? null }];
    default: {
      const { before, after } = d;
      const out: TimelineEntry[] = [];
      if (before?.status && after?.status && before.status !== after.status) {
        out.push({ type: 'status', ...base, id: `${row.id}:status`, from: before.status, to: after.status });
      }
      if (before?.priority && after?.priority && before.priority !== after.priority) {
        out.push({ type: 'priority', ...base, id: `${row.id}:priority`, from: before.priority, to: after.priority });
      }
      if (d.note) out.push({ type: 'note', ...base, body: d.note });
      return out;
    }
  }
}

/**
 * A ticket's internal timeline, oldest first: notes, status, priority and assignment changes,
 * escalations (agent_actions) and the customer's rating. For agents only: no customer route reads it.
 */
export async function getTicketTimeline(q: Queryable, ticketId: string): Promise<TimelineEntry[]> {
  const [actions, rating] = await Promise.all([listAgentActions(q, ticketId), findRating(q, ticketId)]);
  const ids = new Set<string>();
  for (const a of actions) {
    if (a.agent_id) ids.add(a.agent_id);
    const d = a.details as Details;
    if (a.action === AGENT_ACTIONS.assignment) for (const id of [d.from, d.to]) if (id) ids.add(id);
  }
  const names = await listAgentNames(q, [...ids]);
  const who = (id: string | null | undefined): TimelineAgent => (id ? { id, name: names.get(id) ?? '' } : null);
  const entries = actions.flatMap((a) => entriesOf(a, who));
  if (rating) {
    entries.push({ type: 'rating', id: rating.id, created_at: iso(rating.created_at), agent: null, score: rating.score, comment: rating.comment });
  }
  return entries.sort((a, b) => a.created_at.localeCompare(b.created_at));
}
