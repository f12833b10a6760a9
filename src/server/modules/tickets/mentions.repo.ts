import { EXCERPT_MAX_CHARS, type Mention } from '../../../contracts/team.ts';
import type { Queryable } from '../../db/index.ts';
import { iso, isoOrNull } from '../../db/rows.ts';

// `@name` in internal notes (issue 16): agent_mentions rows, read with the note they quote.

type MentionRow = {
  id: string;
  agent_id: string;
  ticket_id: string;
  note_id: string;
  by_id: string | null;
  by_name: string | null;
  note: string | null;
  created_at: Date;
  read_at: Date | null;
};

const SELECT_MENTION = `
  SELECT m.id, m.agent_id, m.ticket_id, m.note_id, b.id AS by_id, b.name AS by_name,
         n.details->>'note' AS note, m.created_at, m.read_at
    FROM agent_mentions m
    JOIN agent_actions n ON n.id = m.note_id
    LEFT JOIN agents b ON b.id = m.by_agent_id`;

function toMention(row: MentionRow): Mention & { agent_id: string } {
  return {
    id: row.id,
    agent_id: row.agent_id,
    ticket_id: row.ticket_id,
    note_id: row.note_id,
    by: row.by_id && row.by_name !== null ? { id: row.by_id, name: row.by_name } : null,
    excerpt: (row.note ?? '').slice(0, EXCERPT_MAX_CHARS),
    created_at: iso(row.created_at),
    read_at: isoOrNull(row.read_at),
  };
}

/** Active agents who may be mentioned (and their names, matched against the note). */
export async function listMentionableAgents(q: Queryable): Promise<Array<{ id: string; name: string }>> {
  const { rows } = await q.query<{ id: string; name: string }>('SELECT id, name FROM agents WHERE NOT disabled ORDER BY name, id');
  return rows;
}

/** One row per agent named in the note; returns the new rows' ids with their agent. */
export async function insertMentions(
  tx: Queryable,
  m: { ticketId: string; noteId: string; byAgentId: string; agentIds: string[] },
): Promise<Array<{ id: string; agent_id: string }>> {
  if (m.agentIds.length === 0) return [];
  const { rows } = await tx.query<{ id: string; agent_id: string }>(
    `INSERT INTO agent_mentions (agent_id, ticket_id, note_id, by_agent_id)
     SELECT unnest($1::uuid[]), $2, $3, $4
     ON CONFLICT (note_id, agent_id) DO NOTHING
     RETURNING id, agent_id`,
    [m.agentIds, m.ticketId, m.noteId, m.byAgentId],
  );
  return rows;
}

export async function findMentionById(q: Queryable, id: string): Promise<(Mention & { agent_id: string }) | null> {
  const { rows } = await q.query<MentionRow>(`${SELECT_MENTION} WHERE m.id = $1`, [id]);
  return rows[0] ? toMention(rows[0]) : null;
}

/** An agent's mentions, newest first (only the unread ones when asked). */
export async function listMentions(q: Queryable, agentId: string, unreadOnly: boolean, limit: number): Promise<Mention[]> {
  const { rows } = await q.query<MentionRow>(
    `${SELECT_MENTION} WHERE m.agent_id = $1 AND ($2::boolean IS FALSE OR m.read_at IS NULL)
     ORDER BY m.created_at DESC, m.id LIMIT $3`,
    [agentId, unreadOnly, limit],
  );
  return rows.map((r) => {
    const { agent_id: _agent, ...mention } = toMention(r);
    return mention;
  });
}

/** Marks these mentions of this agent read; ids of other agents' mentions change nothing. */
export async function markMentionsRead(q: Queryable, agentId: string, ids: string[]): Promise<void> {
  await q.query('UPDATE agent_mentions SET read_at = now() WHERE agent_id = $1 AND id = ANY($2::uuid[]) AND read_at IS NULL', [agentId, ids]);
}
