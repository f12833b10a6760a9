import {
  AGENT_ACTIONS,
  type AgentAction,
  type AgentTicket,
  type UpdateTicketBody,
} from '../../../contracts/agents.ts';
import type { Db } from '../../db/index.ts';
import { BUS_EVENTS, publishEvent } from '../../events/bus.ts';
import { AppError } from '../../http/app-error.ts';
import { isActiveAgent, type SessionAgent } from '../agents/index.ts';
import { insertAnalyticsEvent } from '../analytics/index.ts';
import { insertAgentAction } from './agent-actions.repo.ts';
import { refusal } from './outcomes.ts';
import { lockTicket, toAgentTicket, updateTicketFields } from './tickets.repo.ts';

function actionName(statusChanged: boolean, priorityChanged: boolean): AgentAction {
  if (statusChanged && priorityChanged) return AGENT_ACTIONS.update;
  if (statusChanged) return AGENT_ACTIONS.statusChange;
  if (priorityChanged) return AGENT_ACTIONS.priorityChange;
  return AGENT_ACTIONS.note;
}

/**
 * PATCH /api/agent/tickets/:id: an agent's change to a ticket's status, priority, assignee, or a note.
 * In one transaction: the ticket row (locked), the audit rows in agent_actions (who, what, before,
 * after, note; an `assignment` row {from, to} for a new assignee), a `ticket_resolved` analytics row
 * with the resolution time when it becomes resolved, and the bus event. A request that changes nothing
 * and carries no note writes nothing. Only an active account can be assigned (400 otherwise). A ticket
 * merged into another stays as the merge left it (closed, its conversation in the kept ticket): 409.
 */
export async function updateTicket(options: {
  db: Db;
  agent: SessionAgent;
  ticketId: string;
  changes: UpdateTicketBody;
}): Promise<AgentTicket> {
  const { agent, changes } = options;
  return options.db.transaction(async (tx) => {
    const before = await lockTicket(tx, options.ticketId);
    if (!before) throw refusal({ outcome: 'not_found' });
    if (before.merged_into) throw refusal({ outcome: 'merged', into: before.merged_into });
    const status = changes.status ?? before.status;
    const priority = changes.priority ?? before.priority;
    const assigneeId = changes.assignee_id === undefined ? before.assignee_id : changes.assignee_id;
    const statusChanged = status !== before.status;
    const priorityChanged = priority !== before.priority;
    const assigneeChanged = assigneeId !== before.assignee_id;
    if (!statusChanged && !priorityChanged && !assigneeChanged && changes.agent_note === undefined) return toAgentTicket(before);
    if (assigneeChanged && assigneeId !== null && !(await isActiveAgent(tx, assigneeId))) {
      throw new AppError('invalid_request', { internal: 'assignee is not an active agent', details: { field: 'assignee_id' } });
    }

    const after =
      statusChanged || priorityChanged || assigneeChanged
        ? await updateTicketFields(tx, before.id, { status, priority, assigneeId })
        : before;
    if (assigneeChanged) {
      await insertAgentAction(tx, {
        ticketId: before.id,
        agentId: agent.id,
        action: AGENT_ACTIONS.assignment,
        details: { from: before.assignee_id, to: assigneeId },
      });
    }
    if (statusChanged || priorityChanged || changes.agent_note !== undefined) {
      await insertAgentAction(tx, {
        ticketId: before.id,
        agentId: agent.id,
        action: actionName(statusChanged, priorityChanged),
        details: {
          before: { status: before.status, priority: before.priority },
          after: { status: after.status, priority: after.priority },
          note: changes.agent_note ?? null,
        },
      });
    }
    if (changes.agent_note !== undefined && !statusChanged && !priorityChanged && !assigneeChanged) {
      await publishEvent(tx, { type: BUS_EVENTS.timelineUpdated, ticketId: before.id });
    }
    if (status === 'resolved' && (before.status === 'open' || before.status === 'pending')) {
      const resolvedAt = after.resolved_at ?? new Date();
      await insertAnalyticsEvent(tx, {
        metricType: 'ticket_resolved',
        requestId: before.id,
        agentId: agent.id,
        resolutionTimeSeconds: Math.max(0, Math.round((resolvedAt.getTime() - before.created_at.getTime()) / 1000)),
        metadata: { from_status: before.status },
      });
    }
    if (statusChanged || priorityChanged || assigneeChanged) {
      await publishEvent(tx, { type: BUS_EVENTS.ticketUpdated, ticketId: before.id });
    }
    return toAgentTicket(after);
  });
}
