import type { Lang } from '../../../../contracts/common.ts';
import type { Queryable } from '../../../db/index.ts';

export type UnansweredReason = 'unanswered' | 'unhelpful';

export type UnansweredRow = {
  id: string;
  text: string;
  lang: Lang;
  reason: UnansweredReason;
  created_at: Date;
};

export type TaughtRow = { text: string; lang: Lang; key: string; taught_at: Date };

export type StoredModelRow = { id: string; taught_through: Date; examples: number; bytes: Buffer; created_at: Date };

export async function insertUnanswered(
  q: Queryable,
  row: { text: string; lang: Lang; reason: UnansweredReason; answerKey?: string },
): Promise<void> {
  await q.query(`INSERT INTO bot_unanswered (text, lang, reason, answer_key) VALUES ($1, $2, $3, $4)`, [
    row.text,
    row.lang,
    row.reason,
    row.answerKey ?? null,
  ]);
}

/** The open questions kept since `since`, newest first, at most `limit`. */
export async function listOpenUnanswered(q: Queryable, since: Date, limit: number): Promise<UnansweredRow[]> {
  const { rows } = await q.query<UnansweredRow>(
    `SELECT id, text, lang, reason, created_at FROM bot_unanswered
      WHERE status = 'open' AND created_at >= $1 ORDER BY created_at DESC LIMIT $2`,
    [since, limit],
  );
  return rows;
}

/** Marks open questions taught (the ones still open among `ids`); how many were. */
export async function markTaught(q: Queryable, ids: string[], t: { key: string; lang: Lang; text: string }): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `WITH done AS (
       UPDATE bot_unanswered SET status = 'taught', taught_key = $2, taught_lang = $3, taught_text = $4, taught_at = clock_timestamp()
        WHERE id = ANY($1::uuid[]) AND status = 'open' RETURNING 1
     ) SELECT count(*)::int AS n FROM done`,
    [ids, t.key, t.lang, t.text],
  );
  return rows[0]!.n;
}

export async function markDismissed(q: Queryable, ids: string[]): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `WITH done AS (
       UPDATE bot_unanswered SET status = 'dismissed' WHERE id = ANY($1::uuid[]) AND status = 'open' RETURNING 1
     ) SELECT count(*)::int AS n FROM done`,
    [ids],
  );
  return rows[0]!.n;
}

/** Every distinct phrasing admins taught, oldest first: training examples of their FAQ entries. */
export async function listTaught(q: Queryable): Promise<TaughtRow[]> {
  const { rows } = await q.query<TaughtRow>(
    `SELECT taught_text AS text, taught_lang AS lang, taught_key AS key, max(taught_at) AS taught_at
       FROM bot_unanswered WHERE status = 'taught'
      GROUP BY taught_text, taught_lang, taught_key ORDER BY max(taught_at)`,
  );
  return rows;
}

/** Deletes up to `limit` open or dismissed questions kept before `before`; how many went. */
export async function deleteOldUnanswered(q: Queryable, before: Date, limit: number): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `WITH gone AS (
       DELETE FROM bot_unanswered WHERE id IN (
         SELECT id FROM bot_unanswered WHERE status <> 'taught' AND created_at < $1 ORDER BY created_at LIMIT $2
       ) RETURNING 1
     ) SELECT count(*)::int AS n FROM gone`,
    [before, limit],
  );
  return rows[0]!.n;
}

/** Stores a retrained model and keeps only the `keep` latest of its fingerprint; returns its id. */
export async function insertModel(
  q: Queryable,
  m: { fingerprint: string; taughtThrough: Date; examples: number; bytes: Buffer },
  keep = 3,
): Promise<string> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO bot_models (fingerprint, taught_through, examples, bytes) VALUES ($1, $2, $3, $4) RETURNING id::text`,
    [m.fingerprint, m.taughtThrough, m.examples, m.bytes],
  );
  await q.query(
    `DELETE FROM bot_models WHERE fingerprint <> $1 OR id NOT IN (
       SELECT id FROM bot_models WHERE fingerprint = $1 ORDER BY taught_through DESC, id DESC LIMIT $2
     )`,
    [m.fingerprint, keep],
  );
  return rows[0]!.id;
}

/** The id and date of the newest stored model of a fingerprint (no bytes: a cheap check). */
export async function latestModelId(q: Queryable, fingerprint: string): Promise<{ id: string; taught_through: Date } | null> {
  const { rows } = await q.query<{ id: string; taught_through: Date }>(
    `SELECT id::text, taught_through FROM bot_models WHERE fingerprint = $1 ORDER BY taught_through DESC, id DESC LIMIT 1`,
    [fingerprint],
  );
  return rows[0] ?? null;
}

export async function findModel(q: Queryable, id: string): Promise<StoredModelRow | null> {
  const { rows } = await q.query<StoredModelRow>(
    `SELECT id::text, taught_through, examples, bytes, created_at FROM bot_models WHERE id = $1::bigint`,
    [id],
  );
  return rows[0] ?? null;
}

/** The latest taught_at of all taught questions (what a model must have learned through to be current). */
export async function latestTaughtAt(q: Queryable): Promise<Date | null> {
  const { rows } = await q.query<{ at: Date | null }>(`SELECT max(taught_at) AS at FROM bot_unanswered WHERE status = 'taught'`);
  return rows[0]!.at;
}
