import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LANGS, type Lang } from '../../../contracts/common.ts';

/** One entry of the FAQ shipped with the product (content/<lang>.json). */
export type FaqContentEntry = { key: string; title: string; answer: string; phrasings: string[] };

const CONTENT_DIR = fileURLToPath(new URL('./content/', import.meta.url));

let cached: Record<Lang, FaqContentEntry[]> | null = null;

/** The shipped FAQ of every language, read once. Its order is the display order (position). */
export function loadFaqContent(): Record<Lang, FaqContentEntry[]> {
  cached ??= Object.fromEntries(
    LANGS.map((lang) => [lang, JSON.parse(readFileSync(`${CONTENT_DIR}/${lang}.json`, 'utf8')) as FaqContentEntry[]]),
  ) as Record<Lang, FaqContentEntry[]>;
  return cached;
}
