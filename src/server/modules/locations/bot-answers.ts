import { BOT_LIMITS, type BotAnswer } from '../../../contracts/bot.ts';
import type { Lang } from '../../../contracts/common.ts';
import type { Queryable } from '../../db/index.ts';
import { translator } from '../../i18n.ts';
import { fromPhrase, untilPhrase } from './hours-phrases.ts';
import { listLocationRows, type LocationRow } from './locations.repo.ts';
import { hoursAt } from './opening-hours.ts';

/** The FAQ entries that answers from data replace: the fixed paragraph stays the fallback. */
export const HOURS_FAQ_KEY = 'opening_hours';
export const DELIVERY_FAQ_KEY = 'delivery_zones';
/** FAQ entries about delivery that the restaurants' data does not answer. */
const OTHER_DELIVERY_KEYS = new Set(['delivery_time', 'delivery_fees']);

/** A data answer is exact: it is shown first and needs no person. */
const DATA_ANSWER_SCORE = 1;

// Cues on accent-folded, lower-cased text, in French, English and Dutch.
const HOURS_CUE = /\b(open|opens|opened|closed?|closes|hours?|until|tonight|ouvert|ouverte|ouvre|ferme|fermee?|horaires?|heures?|jusqu|ce soir|gesloten|dicht|uur|uren|openingsuren|hoe laat|vanavond)\b/;
const DELIVERY_CUE = /\b(deliver\w*|livr\w*|lever\w*|bezorg\w*)\b/;
/** A question about one moment rather than the hours in general. */
const MOMENT_CUE = /\b(now|tonight|today|right now|maintenant|ce soir|aujourd ?hui|en ce moment|nu|vanavond|vandaag)\b/;
/** A 4- or 5-digit number standing alone (not an order number TF-1002, a date 25/12/2026 or a time 23.00). */
const POSTCODE = /(?<![\w/.:-])(\d{4,5})(?!\w|[/:-]|[.,]\d)/;

/** Other names of the places the FAQ names, folded: a customer writes the city in their own language. */
const PLACE_NAMES: string[][] = [
  ['brussels', 'bruxelles', 'brussel'],
  ['ghent', 'gand', 'gent'],
  ['antwerp', 'anvers', 'antwerpen'],
  ['liege', 'luik', 'luttich'],
  ['lille', 'rijsel'],
  ['ixelles', 'elsene'],
  ['schaerbeek', 'schaarbeek'],
  ['charleroi'],
  ['roubaix'],
];
const GENERIC_WORDS = new Set(['tasty', 'food', 'restaurant', 'le', 'la', 'de', 'het']);

export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[’'`]/g, ' ');
}

/** Every name under which a customer may mention a location: its city, the words of its name, and their other names. */
function namesOf(location: LocationRow): Set<string> {
  const words = [location.city, location.name, location.id.replace(/-/g, ' ')]
    .flatMap((s) => fold(s).split(/[^\p{L}\p{N}]+/u))
    .filter((w) => w.length >= 3 && !GENERIC_WORDS.has(w));
  const names = new Set(words);
  names.add(fold(location.city).trim());
  for (const group of PLACE_NAMES) if (group.some((n) => names.has(n))) for (const n of group) names.add(n);
  return names;
}

function mentions(folded: string, name: string): boolean {
  return new RegExp(`(?<![\\p{L}\\p{N}])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'u').test(folded);
}

/** The locations a text names (by city or name, in any of the three languages). */
export function locationsNamed(locations: LocationRow[], text: string): LocationRow[] {
  const folded = fold(text);
  return locations.filter((l) => [...namesOf(l)].some((n) => mentions(folded, n)));
}

/** "Tasty Food Gent is open now, until 02:00 tonight." in the customer's language. */
export function describeOpening(location: LocationRow, now: Date, lang: Lang): string {
  const t = translator(lang);
  const h = hoursAt(location, now);
  if (h.open) {
    return h.closesAt
      ? t('locations:bot.open', { name: location.name, until: untilPhrase(h.closesAt, now, lang) })
      : t('locations:bot.open_always', { name: location.name });
  }
  if (!h.opensAt) return t('locations:bot.closed_no_opening', { name: location.name });
  const from = fromPhrase(h.opensAt, now, lang);
  // Until when that opening lasts: "tot hoe laat vanavond?" asked in the morning gets its answer too.
  const closesAt = hoursAt(location, h.opensAt.toJSDate()).closesAt;
  return closesAt
    ? t('locations:bot.closed_until', { name: location.name, from, until: untilPhrase(closesAt, now, lang) })
    : t('locations:bot.closed', { name: location.name, from });
}

function describeDelivery(rows: LocationRow[], postcode: string, lang: Lang): string {
  const t = translator(lang);
  if (!rows.length) return t('locations:bot.delivers_none', { postcode });
  if (rows.length === 1) return t('locations:bot.delivers_single', { name: rows[0]!.name, postcode });
  return t('locations:bot.delivers_several', { postcode, names: rows.map((r) => r.name).join(', ') });
}

function describePostcodes(location: LocationRow, lang: Lang): string {
  const t = translator(lang);
  return location.postcodes.length
    ? t('locations:bot.delivers_postcodes', { name: location.name, postcodes: location.postcodes.join(', ') })
    : t('locations:bot.delivers_nowhere', { name: location.name });
}

/**
 * The data answer to a customer's question about opening hours or delivery, when the text names a place
 * or a postcode (or asks about tonight/now: then every restaurant's hours), or null: the FAQ answers.
 * `topKey` is the FAQ entry the bot ranked first (a hint of the topic beside the text's own words).
 */
export async function answerFromData(options: {
  db: Queryable;
  text: string;
  lang: Lang;
  topKey?: string;
  now?: Date;
}): Promise<BotAnswer | null> {
  const { text, lang } = options;
  const now = options.now ?? new Date();
  const folded = fold(text);
  // "How long does delivery to 1050 take?" is for the FAQ's delivery time (or fees), not for who delivers.
  if (options.topKey !== undefined && OTHER_DELIVERY_KEYS.has(options.topKey)) return null;
  const aboutDelivery = DELIVERY_CUE.test(folded) || options.topKey === DELIVERY_FAQ_KEY;
  const aboutHours = HOURS_CUE.test(folded) || options.topKey === HOURS_FAQ_KEY;
  const postcode = POSTCODE.exec(text)?.[1];
  if (!aboutDelivery && !aboutHours) return null;
  const locations = await listLocationRows(options.db);
  const t = translator(lang);

  if (aboutDelivery && postcode) {
    const rows = locations.filter((l) => l.postcodes.includes(postcode));
    return dataAnswer(DELIVERY_FAQ_KEY, t('locations:bot.delivery_title', { postcode }), describeDelivery(rows, postcode, lang));
  }
  const named = locationsNamed(locations, text);
  if (DELIVERY_CUE.test(folded) && named.length) {
    const title = named.length === 1 ? t('locations:bot.place_delivery_title', { name: named[0]!.name }) : t('locations:bot.hours_title');
    return dataAnswer(DELIVERY_FAQ_KEY, title, named.map((l) => describePostcodes(l, lang)).join('\n'));
  }
  if (!aboutHours) return null;
  // No place named: only a question about this moment ("until when tonight?") is answered for every
  // restaurant; "what are your opening hours?" keeps the FAQ paragraph.
  const which = named.length ? named : MOMENT_CUE.test(folded) ? locations : [];
  if (!which.length) return null;
  return dataAnswer(HOURS_FAQ_KEY, t('locations:bot.hours_title'), which.map((l) => describeOpening(l, now, lang)).join('\n'));
}

function dataAnswer(key: string, title: string, answer: string): BotAnswer {
  return { key, title, answer, score: DATA_ANSWER_SCORE };
}

/**
 * The bot's answers with the data answer first, in place of the FAQ entry it stands for, when the text
 * names a place or a postcode; the FAQ answers unchanged otherwise. The bot's one hook into this module.
 */
export async function withLocationAnswers(options: {
  db: Queryable;
  text: string;
  lang: Lang;
  answers: BotAnswer[];
  now?: Date;
}): Promise<BotAnswer[]> {
  const data = await answerFromData({ ...options, topKey: options.answers[0]?.key });
  if (!data) return options.answers;
  return [data, ...options.answers.filter((a) => a.key !== data.key)].slice(0, BOT_LIMITS.answersMax);
}
