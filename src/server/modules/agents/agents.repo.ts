import type { AgentAccount, AgentRole } from '../../../contracts/agents.ts';
import type { Queryable } from '../../db/index.ts';
import { iso, isoOrNull } from '../../db/rows.ts';
import type { SessionAgent } from './session-agent.ts';

export type AgentRow = {
  id: string;
  email: string;
  name: string;
  role: AgentRole;
  password_hash: string;
  disabled: boolean;
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
};

export function toSessionAgent(row: Pick<AgentRow, 'id' | 'email' | 'name' | 'role'>): SessionAgent {
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

/** An account as admins see it: never the password hash. */
export function toAgentAccount(row: AgentRow): AgentAccount {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabled,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    last_login_at: isoOrNull(row.last_login_at),
  };
}

export async function findAgentByEmail(q: Queryable, email: string): Promise<AgentRow | null> {
  const { rows } = await q.query<AgentRow>('SELECT * FROM agents WHERE lower(email) = lower($1)', [email]);
  return rows[0] ?? null;
}

/** Inserts an account; null when the address is taken (whatever its case). */
export async function insertAgent(
  q: Queryable,
  a: { email: string; name: string; role: AgentRole; passwordHash: string },
): Promise<AgentRow | null> {
  const { rows } = await q.query<AgentRow>(
    `INSERT INTO agents (email, name, role, password_hash) VALUES (lower($1), $2, $3, $4)
     ON CONFLICT ((lower(email))) DO NOTHING
     RETURNING *`,
    [a.email, a.name, a.role, a.passwordHash],
  );
  return rows[0] ?? null;
}

export async function listAgents(q: Queryable): Promise<AgentRow[]> {
  const { rows } = await q.query<AgentRow>('SELECT * FROM agents ORDER BY disabled, lower(name), created_at');
  return rows;
}

export async function countAgents(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM agents');
  return rows[0]!.n;
}

export async function countActiveAdmins(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM agents WHERE role = 'admin' AND NOT disabled`,
  );
  return rows[0]!.n;
}

export async function lockAgent(tx: Queryable, id: string): Promise<AgentRow | null> {
  const { rows } = await tx.query<AgentRow>('SELECT * FROM agents WHERE id = $1 FOR UPDATE', [id]);
  return rows[0] ?? null;
}

export async function updateAgentRow(
  tx: Queryable,
  id: string,
  changes: { name?: string; role?: AgentRole; disabled?: boolean; passwordHash?: string },
): Promise<AgentRow> {
  const { rows } = await tx.query<AgentRow>(
    `UPDATE agents
        SET name = coalesce($2, name), role = coalesce($3, role), disabled = coalesce($4, disabled),
            password_hash = coalesce($5, password_hash), updated_at = now()
      WHERE id = $1 RETURNING *`,
    [id, changes.name ?? null, changes.role ?? null, changes.disabled ?? null, changes.passwordHash ?? null],
  );
  return rows[0]!;
}

export async function touchLastLogin(q: Queryable, id: string): Promise<void> {
  await q.query('UPDATE agents SET last_login_at = now() WHERE id = $1', [id]);
}

// ---- sessions ----

export async function insertSession(
  q: Queryable,
  s: { idHash: string; agentId: string; idleSeconds: number; absoluteSeconds: number; ip: string | null; userAgent: string | null },
): Promise<void> {
  await q.query(
    `INSERT INTO agent_sessions (id_hash, agent_id, idle_timeout_seconds, expires_at, ip, user_agent)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4), $5, left($6, 512))`,
    [s.idHash, s.agentId, s.idleSeconds, s.absoluteSeconds, s.ip, s.userAgent],
  );
}

/**
 * The agent of a live session: not past its absolute expiry, seen within its idle timeout, and its
 * agent not disabled. Slides the idle timeout, writing last_seen_at at most every quarter of the idle
 * timeout (capped at a minute) so that busy agents do not write a row on every request.
 */
export async function findLiveSessionAgent(q: Queryable, idHash: string): Promise<SessionAgent | null> {
  const { rows } = await q.query<SessionAgent>(
    `WITH live AS (
       SELECT s.id_hash, s.last_seen_at, s.idle_timeout_seconds, a.id, a.email, a.name, a.role
         FROM agent_sessions s JOIN agents a ON a.id = s.agent_id
        WHERE s.id_hash = $1
          AND NOT a.disabled
          AND s.expires_at > now()
          AND s.last_seen_at + make_interval(secs => s.idle_timeout_seconds) > now()
     ), touched AS (
       UPDATE agent_sessions s SET last_seen_at = now()
         FROM live
        WHERE s.id_hash = live.id_hash
          AND live.last_seen_at < now() - make_interval(secs => least(60, live.idle_timeout_seconds / 4.0)::double precision)
     )
     SELECT id, email, name, role FROM live`,
    [idHash],
  );
  return rows[0] ?? null;
}

/** Ends one session; answers its agent's id (null when there was no such session). */
export async function deleteSession(q: Queryable, idHash: string): Promise<string | null> {
  const { rows } = await q.query<{ agent_id: string }>('DELETE FROM agent_sessions WHERE id_hash = $1 RETURNING agent_id', [idHash]);
  return rows[0]?.agent_id ?? null;
}

export async function deleteAgentSessions(q: Queryable, agentId: string): Promise<number> {
  const { rowCount } = await q.query('DELETE FROM agent_sessions WHERE agent_id = $1', [agentId]);
  return rowCount;
}

/** Removes this agent's sessions that can no longer be used (keeps the table small without a cron). */
export async function deleteExpiredSessions(q: Queryable, agentId: string): Promise<void> {
  await q.query(
    `DELETE FROM agent_sessions
      WHERE agent_id = $1
        AND (expires_at <= now() OR last_seen_at + make_interval(secs => idle_timeout_seconds) <= now())`,
    [agentId],
  );
}

// ---- login attempts ----

export type AttemptWindow = { key: string; max: number };

/**
 * Registers one login attempt under every key, unless a key already holds `max` attempts in the
 * window: then nothing is written and the seconds until its oldest attempt leaves the window are
 * returned. Keys are locked (advisory, sorted) so that instances racing cannot overshoot a limit.
 */
export async function registerLoginAttempt(
  tx: Queryable,
  keys: AttemptWindow[],
  windowSeconds: number,
): Promise<{ ids: string[] } | { retryAfterSeconds: number }> {
  const sorted = [...keys].sort((a, b) => a.key.localeCompare(b.key));
  for (const k of sorted) {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('login:' || $1, 0))`, [k.key]);
  }
  let retryAfterSeconds = 0;
  for (const k of sorted) {
    const { rows } = await tx.query<{ n: number; wait: number | null }>(
      `SELECT count(*)::int AS n,
              ceil(extract(epoch FROM min(created_at) + make_interval(secs => $2) - now()))::int AS wait
         FROM login_attempts
        WHERE key = $1 AND created_at > now() - make_interval(secs => $2)`,
      [k.key, windowSeconds],
    );
    const { n, wait } = rows[0]!;
    if (n >= k.max) retryAfterSeconds = Math.max(retryAfterSeconds, Math.max(1, wait ?? windowSeconds));
  }
  if (retryAfterSeconds > 0) return { retryAfterSeconds };
  const ids: string[] = [];
  for (const k of sorted) {
    await tx.query(`DELETE FROM login_attempts WHERE key = $1 AND created_at <= now() - make_interval(secs => $2)`, [
      k.key,
      windowSeconds,
    ]);
    const { rows } = await tx.query<{ id: string }>('INSERT INTO login_attempts (key) VALUES ($1) RETURNING id', [k.key]);
    ids.push(rows[0]!.id);
  }
  return { ids };
}

/** A successful login: its own attempts are not failures, and the failures under `forgiven` are forgiven. */
export async function clearLoginAttempts(q: Queryable, ids: string[], forgiven: string): Promise<void> {
  await q.query('DELETE FROM login_attempts WHERE id = ANY($1::uuid[]) OR key = $2', [ids, forgiven]);
}

// ---- known devices ----

/** The lower-cased e-mail of the account a live device cookie (by its hash) belongs to, or null. */
export async function findDeviceAccountEmail(q: Queryable, idHash: string, maxAgeSeconds: number): Promise<string | null> {
  const { rows } = await q.query<{ email: string }>(
    `SELECT lower(a.email) AS email FROM agent_devices d JOIN agents a ON a.id = d.agent_id
      WHERE d.id_hash = $1 AND d.last_login_at > now() - make_interval(secs => $2)`,
    [idHash, maxAgeSeconds],
  );
  return rows[0]?.email ?? null;
}

/** Records (or refreshes) a browser's successful login to an account, and forgets the account's stale devices. */
export async function upsertAgentDevice(q: Queryable, idHash: string, agentId: string, maxAgeSeconds: number): Promise<void> {
  await q.query(
    `INSERT INTO agent_devices (id_hash, agent_id) VALUES ($1, $2)
     ON CONFLICT (id_hash) DO UPDATE SET agent_id = EXCLUDED.agent_id, last_login_at = now()`,
    [idHash, agentId],
  );
  await q.query(`DELETE FROM agent_devices WHERE agent_id = $1 AND last_login_at <= now() - make_interval(secs => $2)`, [
    agentId,
    maxAgeSeconds,
  ]);
}

/** Names of these accounts (disabled ones included: the timeline still shows who did what). */
export async function listAgentNames(q: Queryable, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await q.query<{ id: string; name: string }>('SELECT id, name FROM agents WHERE id = ANY($1::uuid[])', [ids]);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Whether this account exists and is not disabled (a ticket can only be assigned to such an agent). */
export async function isActiveAgent(q: Queryable, id: string): Promise<boolean> {
  const { rows } = await q.query('SELECT 1 FROM agents WHERE id = $1 AND NOT disabled', [id]);
  return rows.length > 0;
}
