import type { Lang } from '../../../contracts/common.ts';
import type { Schedule, SupportStatus } from '../../../contracts/locations.ts';
import type { Queryable } from '../../db/index.ts';
import { translator } from '../../i18n.ts';
import { fromPhrase } from './hours-phrases.ts';
import { deleteSupportHoursRow, findSupportHoursRow, upsertSupportHoursRow } from './locations.repo.ts';
import { hoursAt, openTimeStartBefore } from './opening-hours.ts';
import { toHoursAtResponse } from './locations.service.ts';

/** The support team's hours, or null when none are set (support then counts as always staffed). */
export async function getSupportHours(options: { db: Queryable }): Promise<Schedule | null> {
  return findSupportHoursRow(options.db);
}

export async function saveSupportHours(options: { db: Queryable; body: Schedule }): Promise<Schedule> {
  await upsertSupportHoursRow(options.db, options.body);
  return options.body;
}

/** Back to "always staffed". */
export async function clearSupportHours(options: { db: Queryable }): Promise<void> {
  await deleteSupportHoursRow(options.db);
}

/**
 * Whether a person is at work now, the next change, and when closed the customer's "a person will
 * answer …" in their language ("tomorrow from 11:00"). Without support hours: open, nothing else.
 */
export async function getSupportStatus(options: { db: Queryable; lang: Lang; now?: Date }): Promise<SupportStatus> {
  const schedule = await findSupportHoursRow(options.db);
  if (!schedule) return { open: true };
  const now = options.now ?? new Date();
  const h = hoursAt(schedule, now);
  return {
    ...toHoursAtResponse(h),
    timezone: schedule.timezone,
    ...(!h.open && h.opensAt ? { nextAnswer: fromPhrase(h.opensAt, now, options.lang) } : {}),
  };
}

/**
 * The automatic reply to a ticket opened while support is closed, in the ticket's language ("a person
 * will answer tomorrow from 11:00"), or null while support is open or has no hours set.
 */
export async function outOfHoursReply(q: Queryable, lang: Lang, now: Date = new Date()): Promise<string | null> {
  const schedule = await findSupportHoursRow(q);
  if (!schedule) return null;
  const h = hoursAt(schedule, now);
  if (h.open) return null;
  const t = translator(lang);
  return h.opensAt
    ? t('locations:support.closed_reply', { from: fromPhrase(h.opensAt, now, lang) })
    : t('locations:support.closed_reply_later');
}

/**
 * For each wait of `minutes` of staffed time, the instant from which it is reached at `now`: a ticket
 * waiting since then or earlier has waited that long while support was open. Wall-clock time without
 * support hours; null when support was not open that long in the past year (nothing is due).
 */
export async function staffedWaitStarts(q: Queryable, now: Date, minutes: number[]): Promise<(Date | null)[]> {
  const schedule = await findSupportHoursRow(q);
  return minutes.map((m) =>
    schedule ? openTimeStartBefore(schedule, now, m * 60_000) : new Date(now.getTime() - m * 60_000),
  );
}
