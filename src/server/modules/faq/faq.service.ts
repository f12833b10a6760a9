import type { Lang } from '../../../contracts/common.ts';
import type { AdminFaqEntry, FaqListResponse, UpdateFaqEntryBody } from '../../../contracts/faq.ts';
import type { Db, Queryable } from '../../db/index.ts';
import { FAQ_LIMITS } from '../../../contracts/faq.ts';
import { LANGS } from '../../../contracts/common.ts';
import { loadFaqContent } from './faq-content.ts';
import {
  faqVersion,
  findFaqRow,
  insertFaqRowsIfEmpty,
  splitPhrasings,
  listFaqRows,
  toAdminFaqEntry,
  toFaqEntry,
  upsertFaqRow,
  hasFaqEntries,
} from './faq.repo.ts';

/**
 * Loads the shipped FAQ (content/<lang>.json) into a database whose faq_entries is empty.
 * Returns how many entries it inserted (0 when the table already had entries).
 */
export async function seedFaq(db: Db): Promise<number> {
  // A restart: one statement, no lock (the table is never emptied once seeded; an empty one takes the locked path).
  if (await hasFaqEntries(db)) return 0;
  const content = loadFaqContent();
  const rows = LANGS.flatMap((lang) =>
    content[lang].map((e, position) => ({
      key: e.key,
      lang,
      title: e.title,
      answer: e.answer,
      phrasings: e.phrasings.join('\n'),
      position,
    })),
  );
  return db.transaction((tx) => insertFaqRowsIfEmpty(tx, rows));
}

/** The FAQ of one language, in display order, with the version of the whole FAQ. */
export async function getFaq(options: { db: Db; lang: Lang }): Promise<FaqListResponse> {
  const [rows, version] = await Promise.all([listFaqRows(options.db, options.lang), faqVersion(options.db)]);
  return { entries: rows.map(toFaqEntry), version };
}

/** Every entry of every language, as admins edit them. */
export async function getAdminFaq(options: { db: Db }): Promise<{ entries: AdminFaqEntry[]; version: string }> {
  const [rows, version] = await Promise.all([listFaqRows(options.db), faqVersion(options.db)]);
  return { entries: rows.map(toAdminFaqEntry), version };
}

/** Creates or replaces one entry (title and answer; phrasings and position when given). */
export async function updateFaqEntry(options: {
  db: Db;
  key: string;
  lang: Lang;
  input: UpdateFaqEntryBody;
}): Promise<AdminFaqEntry> {
  const { db, key, lang, input } = options;
  const row = await upsertFaqRow(db, {
    key,
    lang,
    title: input.title,
    answer: input.answer,
    phrasings: input.phrasings ? input.phrasings.join('\n') : null,
    position: input.position ?? null,
  });
  return toAdminFaqEntry(row);
}

/**
 * The bot's learning loop (issue 20): `phrasing` joins the entry's phrasings when there is room (at most
 * 40, each one line of up to 100 characters, no duplicate); a new key creates the entry with `title` and
 * `answer` (null when they are missing: the caller refuses). Runs in the caller's transaction.
 */
export async function addFaqPhrasing(
  q: Queryable,
  input: { key: string; lang: Lang; phrasing: string; title?: string; answer?: string },
): Promise<{ entry: AdminFaqEntry; phrasingAdded: boolean } | null> {
  const row = await findFaqRow(q, input.key, input.lang);
  const phrasing = input.phrasing.replace(/\s+/g, ' ').trim();
  const fits = phrasing.length > 0 && phrasing.length <= FAQ_LIMITS.phrasingMaxChars;
  if (!row) {
    if (!input.title || !input.answer) return null;
    const created = await upsertFaqRow(q, {
      key: input.key, lang: input.lang, title: input.title, answer: input.answer, phrasings: fits ? phrasing : '', position: null,
    });
    return { entry: toAdminFaqEntry(created), phrasingAdded: fits };
  }
  const phrasings = splitPhrasings(row.phrasings);
  const add = fits && phrasings.length < FAQ_LIMITS.phrasingsMax && !phrasings.some((p) => p.toLowerCase() === phrasing.toLowerCase());
  if (!add) return { entry: toAdminFaqEntry(row), phrasingAdded: false };
  const updated = await upsertFaqRow(q, {
    key: row.key, lang: row.lang, title: row.title, answer: row.answer, phrasings: [...phrasings, phrasing].join('\n'), position: row.position,
  });
  return { entry: toAdminFaqEntry(updated), phrasingAdded: true };
}
