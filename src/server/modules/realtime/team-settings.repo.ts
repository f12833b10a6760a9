import type { AutoAssignMode, TeamSettings } from '../../../contracts/team.ts';
import type { Queryable } from '../../db/index.ts';
import { iso } from '../../db/rows.ts';

// The team's settings (team_settings, one row; migrations 0019 and 0021): how new tickets are assigned,
// read by the round-robin trigger (functions/round-robin.sql). An admin's choice: AUTO_ASSIGN only gives
// the first value (docs/agents.md "Round-robin").

/**
 * Writes AUTO_ASSIGN as the first value when the database has none, never over an admin's choice. Returns
 * the value in effect (null only when another instance wrote the first value during this statement).
 */
export async function seedAutoAssign(q: Queryable, mode: AutoAssignMode): Promise<AutoAssignMode | null> {
  const { rows } = await q.query<{ auto_assign: AutoAssignMode | null }>(
    `WITH seeded AS (
       INSERT INTO team_settings (auto_assign) VALUES ($1) ON CONFLICT (id) DO NOTHING RETURNING auto_assign
     )
     SELECT coalesce((SELECT auto_assign FROM seeded), (SELECT auto_assign FROM team_settings)) AS auto_assign`,
    [mode],
  );
  return rows[0]?.auto_assign ?? null;
}

const SELECT_SETTINGS = `
  SELECT s.auto_assign, s.updated_at, a.id AS by_id, a.name AS by_name
    FROM team_settings s LEFT JOIN agents a ON a.id = s.updated_by`;

type SettingsRow = { auto_assign: AutoAssignMode; updated_at: Date | string; by_id: string | null; by_name: string | null };

function toTeamSettings(row: SettingsRow | undefined): TeamSettings {
  // No row yet (between migration 0021 and the first start): the trigger assigns nothing.
  if (!row) return { autoAssign: 'off', updatedAt: null, updatedBy: null };
  return {
    autoAssign: row.auto_assign,
    updatedAt: iso(row.updated_at),
    updatedBy: row.by_id ? { id: row.by_id, name: row.by_name! } : null,
  };
}

export async function getTeamSettings(q: Queryable): Promise<TeamSettings> {
  const { rows } = await q.query<SettingsRow>(SELECT_SETTINGS);
  return toTeamSettings(rows[0]);
}

/** An admin's choice: replaces whatever was there (the first value from AUTO_ASSIGN included). */
export async function updateTeamSettings(q: Queryable, agentId: string, settings: { autoAssign: AutoAssignMode }): Promise<TeamSettings> {
  const { rows } = await q.query<SettingsRow>(
    `WITH saved AS (
       INSERT INTO team_settings (auto_assign, updated_at, updated_by) VALUES ($1, now(), $2)
       ON CONFLICT (id) DO UPDATE
         SET auto_assign = EXCLUDED.auto_assign, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
       RETURNING auto_assign, updated_at, updated_by
     )
     SELECT s.auto_assign, s.updated_at, a.id AS by_id, a.name AS by_name
       FROM saved s LEFT JOIN agents a ON a.id = s.updated_by`,
    [settings.autoAssign, agentId],
  );
  return toTeamSettings(rows[0]);
}
