import type { CannedReply, CreateCannedReplyBody, UpdateCannedReplyBody } from '../../../contracts/agents.ts';
import type { Lang } from '../../../contracts/common.ts';
import type { Queryable } from '../../db/index.ts';
import { iso } from '../../db/rows.ts';

// canned_replies (0016): every statement on it. A shortcut is unique per language: a clash answers
// 'duplicate' rather than throwing.

type Row = Omit<CannedReply, 'created_at' | 'updated_at'> & { created_at: Date; updated_at: Date };

const toReply = (r: Row): CannedReply => ({ ...r, created_at: iso(r.created_at), updated_at: iso(r.updated_at) });
const COLUMNS = 'id, lang, shortcut, title, body, created_at, updated_at';
const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === '23505';

export async function listCannedReplies(q: Queryable, lang?: Lang): Promise<CannedReply[]> {
  const { rows } = await q.query<Row>(
    `SELECT ${COLUMNS} FROM canned_replies WHERE $1::text IS NULL OR lang = $1 ORDER BY lang, shortcut`,
    [lang ?? null],
  );
  return rows.map(toReply);
}

export async function insertCannedReply(q: Queryable, r: CreateCannedReplyBody): Promise<CannedReply | 'duplicate'> {
  const { rows } = await q.query<Row>(
    `INSERT INTO canned_replies (lang, shortcut, title, body) VALUES ($1, $2, $3, $4)
     ON CONFLICT (lang, shortcut) DO NOTHING RETURNING ${COLUMNS}`,
    [r.lang, r.shortcut, r.title, r.body],
  );
  return rows[0] ? toReply(rows[0]) : 'duplicate';
}

/** The changed reply, null when there is none with this id, 'duplicate' when the shortcut is taken. */
export async function updateCannedReply(q: Queryable, id: string, c: UpdateCannedReplyBody): Promise<CannedReply | null | 'duplicate'> {
  try {
    const { rows } = await q.query<Row>(
      `UPDATE canned_replies SET lang = COALESCE($2, lang), shortcut = COALESCE($3, shortcut),
              title = COALESCE($4, title), body = COALESCE($5, body), updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, c.lang ?? null, c.shortcut ?? null, c.title ?? null, c.body ?? null],
    );
    return rows[0] ? toReply(rows[0]) : null;
  } catch (err) {
    if (isUniqueViolation(err)) return 'duplicate';
    throw err;
  }
}

export async function deleteCannedReply(q: Queryable, id: string): Promise<boolean> {
  const { rows } = await q.query('DELETE FROM canned_replies WHERE id = $1 RETURNING id', [id]);
  return rows.length > 0;
}
