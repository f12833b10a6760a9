import type { Queryable } from '../../db/index.ts';

import { BUS_CHANNEL_SQL, BUS_EVENTS } from '../../events/bus.ts';

// What only realtime stores (presence) or sends (its listener probe). The conversation's own reads
// (seqs, tickets changed since) are modules/tickets' (index.ts).

/** The bus channel name of this database schema, the same expression publishEvent uses. */
export async function findBusChannel(q: Queryable): Promise<string> {
  const { rows } = await q.query<{ channel: string }>(`SELECT ${BUS_CHANNEL_SQL} AS channel`);
  return rows[0]!.channel;
}

/**
 * Publishes this instance's listener probe. `at` is the database clock, comparable with updated_at:
 * once the probe comes back, every event committed before it has been heard.
 */
export async function publishProbe(q: Queryable, instanceId: string): Promise<void> {
  await q.query(
    `SELECT pg_notify(${BUS_CHANNEL_SQL}, json_build_object('type', $1::text, 'instanceId', $2::text, 'at', now())::text)`,
    [BUS_EVENTS.probe, instanceId],
  );
}

export type PresenceKey = { ticketId: string; agentId: string };

/** Marks these (ticket, agent) pairs as viewed from this instance until now() + ttl. */
export async function upsertPresence(
  q: Queryable,
  instanceId: string,
  keys: PresenceKey[],
  ttlSeconds: number,
): Promise<void> {
  if (keys.length === 0) return;
  await q.query(
    `INSERT INTO realtime_presence (ticket_id, agent_id, instance_id, expires_at)
     SELECT t, a, $3, now() + make_interval(secs => $4)
       FROM unnest($1::uuid[], $2::text[]) AS k(t, a)
       JOIN support_requests r ON r.id = k.t
     ON CONFLICT (ticket_id, agent_id, instance_id) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
    [keys.map((k) => k.ticketId), keys.map((k) => k.agentId), instanceId, ttlSeconds],
  );
}

export async function deletePresence(q: Queryable, instanceId: string, key: PresenceKey): Promise<void> {
  await q.query('DELETE FROM realtime_presence WHERE ticket_id = $1 AND agent_id = $2 AND instance_id = $3', [
    key.ticketId,
    key.agentId,
    instanceId,
  ]);
}

/** Removes every row of this instance (shutting down); returns the tickets concerned. */
export async function deleteInstancePresence(q: Queryable, instanceId: string): Promise<string[]> {
  const { rows } = await q.query<{ ticket_id: string }>(
    'DELETE FROM realtime_presence WHERE instance_id = $1 RETURNING ticket_id',
    [instanceId],
  );
  return [...new Set(rows.map((r) => r.ticket_id))];
}

/** Removes rows whose instance stopped refreshing them (it crashed); returns the tickets concerned. */
export async function reapExpiredPresence(q: Queryable): Promise<string[]> {
  const { rows } = await q.query<{ ticket_id: string }>(
    'DELETE FROM realtime_presence WHERE expires_at < now() RETURNING ticket_id',
  );
  return [...new Set(rows.map((r) => r.ticket_id))];
}

/** How many distinct agents view the ticket, over every instance. */
export async function countPresentAgents(q: Queryable, ticketId: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    'SELECT count(DISTINCT agent_id)::int AS n FROM realtime_presence WHERE ticket_id = $1 AND expires_at > now()',
    [ticketId],
  );
  return rows[0]?.n ?? 0;
}

// ---- Agents' availability (issue 16): one row per (agent, instance) holding a socket of that agent ----

export type AgentPresenceKey = { agentId: string; idle: boolean };

/** Marks these agents as connected to this instance until now() + ttl (with their idle state). */
export async function upsertAgentPresence(q: Queryable, instanceId: string, keys: AgentPresenceKey[], ttlSeconds: number): Promise<void> {
  if (keys.length === 0) return;
  await q.query(
    `INSERT INTO realtime_agent_presence (agent_id, instance_id, idle, expires_at)
     SELECT a.id, $3, k.idle, now() + make_interval(secs => $4)
       FROM unnest($1::uuid[], $2::boolean[]) AS k(agent_id, idle)
       JOIN agents a ON a.id = k.agent_id
     ON CONFLICT (agent_id, instance_id) DO UPDATE SET idle = EXCLUDED.idle, expires_at = EXCLUDED.expires_at`,
    [keys.map((k) => k.agentId), keys.map((k) => k.idle), instanceId, ttlSeconds],
  );
}

export async function deleteAgentPresence(q: Queryable, instanceId: string, agentId: string): Promise<void> {
  await q.query('DELETE FROM realtime_agent_presence WHERE agent_id = $1 AND instance_id = $2', [agentId, instanceId]);
}

/** Removes every agent row of this instance (shutting down); returns the agents concerned. */
export async function deleteInstanceAgentPresence(q: Queryable, instanceId: string): Promise<string[]> {
  const { rows } = await q.query<{ agent_id: string }>('DELETE FROM realtime_agent_presence WHERE instance_id = $1 RETURNING agent_id', [instanceId]);
  return [...new Set(rows.map((r) => r.agent_id))];
}

/** Removes agent rows whose instance stopped refreshing them; returns the agents concerned. */
export async function reapExpiredAgentPresence(q: Queryable): Promise<string[]> {
  const { rows } = await q.query<{ agent_id: string }>('DELETE FROM realtime_agent_presence WHERE expires_at < now() RETURNING agent_id');
  return [...new Set(rows.map((r) => r.agent_id))];
}
