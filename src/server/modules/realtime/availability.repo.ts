import type { AvailabilityStatus } from '../../../contracts/realtime-constants.ts';
import type { TeamMember } from '../../../contracts/team.ts';
import type { Queryable } from '../../db/index.ts';

// Agents' availability (docs/agents.md "Availability"): what each agent chose (agent_availability, no
// row: online) applied to their sockets over every instance (realtime_agent_presence, kept by presence.ts).

/** Offline without a live socket or when chosen; away when chosen or when every socket is idle. */
const AVAILABILITY_SQL = `
  CASE WHEN coalesce(v.status, 'online') = 'offline' OR p.agent_id IS NULL THEN 'offline'
       WHEN v.status = 'away' OR NOT p.active THEN 'away'
       ELSE 'online' END`;

const FROM_AGENTS = `
  FROM agents a
  LEFT JOIN agent_availability v ON v.agent_id = a.id
  LEFT JOIN (SELECT agent_id, bool_or(NOT idle) AS active
               FROM realtime_agent_presence WHERE expires_at > now() GROUP BY agent_id) p ON p.agent_id = a.id`;

/** Every active agent with their availability, by name. */
export async function listTeam(q: Queryable): Promise<TeamMember[]> {
  const { rows } = await q.query<TeamMember>(
    `SELECT a.id, a.name, a.role, ${AVAILABILITY_SQL} AS availability ${FROM_AGENTS} WHERE NOT a.disabled ORDER BY lower(a.name), a.id`,
  );
  return rows;
}

/** One agent's choice and availability; null for an unknown or disabled agent. */
export async function findAvailability(q: Queryable, agentId: string): Promise<{ status: AvailabilityStatus; availability: AvailabilityStatus } | null> {
  const { rows } = await q.query<{ status: AvailabilityStatus; availability: AvailabilityStatus }>(
    `SELECT coalesce(v.status, 'online') AS status, ${AVAILABILITY_SQL} AS availability ${FROM_AGENTS} WHERE a.id = $1 AND NOT a.disabled`,
    [agentId],
  );
  return rows[0] ?? null;
}

/** Stores what the agent chose. */
export async function upsertAvailabilityChoice(q: Queryable, agentId: string, status: AvailabilityStatus): Promise<void> {
  await q.query(
    `INSERT INTO agent_availability (agent_id, status) VALUES ($1, $2)
     ON CONFLICT (agent_id) DO UPDATE SET status = EXCLUDED.status, updated_at = now()`,
    [agentId, status],
  );
}
