import type { Lang } from '../../../contracts/common.ts';
import type { AdminFaqEntry, FaqEntry } from '../../../contracts/faq.ts';
import type { Queryable } from '../../db/index.ts';
import { iso } from '../../db/rows.ts';

export type FaqRow = {
  key: string;
  lang: Lang;
  title: string;
  answer: string;
  phrasings: string;
  position: number;
  updated_at: Date;
};

const COLUMNS = 'key, lang, title, answer, phrasings, position, updated_at';

export function toFaqEntry(row: FaqRow): FaqEntry {
  return { key: row.key, lang: row.lang, title: row.title, answer: row.answer };
}

export function toAdminFaqEntry(row: FaqRow): AdminFaqEntry {
  return {
    ...toFaqEntry(row),
    phrasings: splitPhrasings(row.phrasings),
    position: row.position,
    updated_at: iso(row.updated_at),
  };
}

export function splitPhrasings(stored: string): string[] {
  return stored.split('\n').filter((p) => p.length > 0);
}

export async function listFaqRows(q: Queryable, lang?: Lang): Promise<FaqRow[]> {
  const { rows } = lang
    ? await q.query<FaqRow>(`SELECT ${COLUMNS} FROM faq_entries WHERE lang = $1 ORDER BY position, key`, [lang])
    : await q.query<FaqRow>(`SELECT ${COLUMNS} FROM faq_entries ORDER BY lang, position, key`);
  return rows;
}

export async function findFaqRow(q: Queryable, key: string, lang: Lang): Promise<FaqRow | null> {
  const { rows } = await q.query<FaqRow>(`SELECT ${COLUMNS} FROM faq_entries WHERE key = $1 AND lang = $2`, [key, lang]);
  return rows[0] ?? null;
}

/**
 * A fingerprint of the whole FAQ that changes on every edit: entries are never deleted, so the
 * number of entries and the latest updated_at are enough.
 */
export async function faqVersion(q: Queryable): Promise<string> {
  const { rows } = await q.query<{ n: number; latest: Date | null }>(
    'SELECT count(*)::int AS n, max(updated_at) AS latest FROM faq_entries',
  );
  const { n, latest } = rows[0]!;
  return `${n}-${latest ? latest.getTime() : 0}`;
}

export async function upsertFaqRow(
  q: Queryable,
  e: { key: string; lang: Lang; title: string; answer: string; phrasings: string | null; position: number | null },
): Promise<FaqRow> {
  // clock_timestamp(), not now(): two edits in one transaction must still change the version.
  const { rows } = await q.query<FaqRow>(
    `INSERT INTO faq_entries (key, lang, title, answer, phrasings, position)
     VALUES ($1, $2, $3, $4, coalesce($5, ''),
             coalesce($6, (SELECT coalesce(max(position) + 1, 0) FROM faq_entries WHERE lang = $2)))
     ON CONFLICT (key, lang) DO UPDATE
        SET title = EXCLUDED.title, answer = EXCLUDED.answer,
            phrasings = coalesce($5, faq_entries.phrasings),
            position = coalesce($6, faq_entries.position),
            updated_at = clock_timestamp()
     RETURNING ${COLUMNS}`,
    [e.key, e.lang, e.title, e.answer, e.phrasings, e.position],
  );
  return rows[0]!;
}

/** Whether faq_entries has any row. */
export async function hasFaqEntries(q: Queryable): Promise<boolean> {
  const { rows } = await q.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM faq_entries) AS any');
  return rows[0]!.any;
}

/** Inserts the shipped entries unless the table already has any (an instance seeded it, or admins edited it). */
export async function insertFaqRowsIfEmpty(
  tx: Queryable,
  entries: { key: string; lang: Lang; title: string; answer: string; phrasings: string; position: number }[],
): Promise<number> {
  // Instances starting together: the first one seeds, the others find the table filled.
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('faq-seed', 0))`);
  if (await hasFaqEntries(tx)) return 0;
  for (const e of entries) {
    await tx.query(
      `INSERT INTO faq_entries (key, lang, title, answer, phrasings, position) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (key, lang) DO NOTHING`,
      [e.key, e.lang, e.title, e.answer, e.phrasings, e.position],
    );
  }
  return entries.length;
}

export type FaqSearchRow = { key: string; title: string; answer: string; rank: number };

/**
 * Full-text rank of every entry of one language for a customer's text. The text's lexemes are OR-ed
 * (plainto_tsquery AND-s them, and a chat question rarely has all its words in one entry); accents
 * are folded on both sides. ts_rank weights are {D, C, B, A}.
 */
export async function searchFaqRows(q: Queryable, lang: Lang, text: string): Promise<FaqSearchRow[]> {
  const { rows } = await q.query<FaqSearchRow>(
    `WITH query AS (
       SELECT nullif(replace(plainto_tsquery(tf_search_config($1), tf_fold($2))::text, '&', '|'), '')::tsquery AS q
     )
     SELECT key, title, answer,
            coalesce(ts_rank('{0.05, 0.2, 0.6, 1.0}', search_vector, query.q, 0), 0)::float8 AS rank
       FROM faq_entries, query
      WHERE lang = $1
      ORDER BY position, key`,
    [lang, text],
  );
  return rows;
}
