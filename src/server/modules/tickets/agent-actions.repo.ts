import type { AgentAction } from '../../../contracts/agents.ts';
import type { Queryable } from '../../db/index.ts';

export type AgentActionRow = {
  id: string;
  agent_id: string | null;
  action: AgentAction;
  details: Record<string, unknown>;
  created_at: Date;
};

/** One row of the audit trail agent_actions: who (null: the server itself), what (AGENT_ACTIONS), details. */
export async function insertAgentAction(
  tx: Queryable,
  a: { ticketId: string; agentId: string | null; action: AgentAction; details: Record<string, unknown> },
): Promise<AgentActionRow> {
  const { rows } = await tx.query<AgentActionRow>(
    `INSERT INTO agent_actions (ticket_id, agent_id, action, details) VALUES ($1, $2, $3, $4)
     RETURNING id, agent_id, action, details, created_at`,
    [a.ticketId, a.agentId, a.action, JSON.stringify(a.details)],
  );
  return rows[0]!;
}

/** A ticket's audit trail, oldest first (the timeline). */
export async function listAgentActions(q: Queryable, ticketId: string): Promise<AgentActionRow[]> {
  const { rows } = await q.query<AgentActionRow>(
    `SELECT id, agent_id, action, details, created_at FROM agent_actions WHERE ticket_id = $1 ORDER BY created_at, id`,
    [ticketId],
  );
  return rows;
}
