import type { AgentAction } from '../../../contracts/agents.ts';
import type { Queryable } from '../../db/index.ts';

/** One row of the audit trail agent_actions: who (null: the server itself), what (AGENT_ACTIONS), details. */
export async function insertAgentAction(
  tx: Queryable,
  a: { ticketId: string; agentId: string | null; action: AgentAction; details: Record<string, unknown> },
): Promise<void> {
  await tx.query('INSERT INTO agent_actions (ticket_id, agent_id, action, details) VALUES ($1, $2, $3, $4)', [
    a.ticketId,
    a.agentId,
    a.action,
    JSON.stringify(a.details),
  ]);
}
