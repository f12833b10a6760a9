import { DateTime } from 'luxon';
import type { Lang } from '../../../contracts/common.ts';
import { translator } from '../../i18n.ts';

/** Local times as each language writes them (as the FAQ does): 02:00, 2h00, 02.00 uur. */
const TIME_FORMAT: Record<Lang, string> = { en: 'HH:mm', fr: "H'h'mm", nl: "HH.mm 'uur'" };

/** A closing after this hour of the same day, or before this hour of the next one, is "tonight". */
const EVENING_FROM_HOUR = 17;
const NIGHT_UNTIL_HOUR = 7;

export function formatTime(t: DateTime, lang: Lang): string {
  return t.setLocale(lang).toFormat(TIME_FORMAT[lang]);
}

function daysBetween(now: DateTime, t: DateTime): number {
  return Math.round(t.startOf('day').diff(now.startOf('day'), 'days').days);
}

/** "until 02:00 tonight", "until 23:00", "until Monday 02:00", seen from `now` in the zone of `closesAt`. */
export function untilPhrase(closesAt: DateTime, now: Date, lang: Lang): string {
  const t = translator(lang);
  const local = DateTime.fromJSDate(now, { zone: closesAt.zone });
  const days = daysBetween(local, closesAt);
  const time = formatTime(closesAt, lang);
  if ((days === 0 && closesAt.hour >= EVENING_FROM_HOUR) || (days === 1 && closesAt.hour < NIGHT_UNTIL_HOUR)) {
    return t('locations:when.until_tonight', { time });
  }
  if (days === 0) return t('locations:when.until_today', { time });
  return t('locations:when.until_day', { time, day: closesAt.setLocale(lang).toFormat('cccc') });
}

/** "today from 11:00", "tomorrow from 11:00", "on Monday from 11:00", "on 1 September from 11:00". */
export function fromPhrase(opensAt: DateTime, now: Date, lang: Lang): string {
  const t = translator(lang);
  const local = DateTime.fromJSDate(now, { zone: opensAt.zone });
  const days = daysBetween(local, opensAt);
  const time = formatTime(opensAt, lang);
  if (days <= 0) return t('locations:when.from_today', { time });
  if (days === 1) return t('locations:when.from_tomorrow', { time });
  if (days < 7) return t('locations:when.from_day', { time, day: opensAt.setLocale(lang).toFormat('cccc') });
  return t('locations:when.from_date', { time, date: opensAt.setLocale(lang).toFormat('d MMMM') });
}
