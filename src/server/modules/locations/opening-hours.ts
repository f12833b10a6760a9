import { DateTime } from 'luxon';
import type { HoursException, HoursSpan, Schedule } from '../../../contracts/locations.ts';

/** What a schedule says at one instant: open until `closesAt`, or closed until `opensAt`. */
export type HoursAt = { open: boolean; opensAt?: DateTime; closesAt?: DateTime };

/** How far ahead the next opening is looked for: a year of exceptions. */
const HORIZON_DAYS = 366;
/** How far ahead the end of an opening is looked for: longer is "open all the time". */
const CLOSING_HORIZON_DAYS = 31;
/** Days looked at first, enough for any ordinary weekly schedule. */
const FIRST_LOOK_DAYS = 8;

type Interval = { start: number; end: number };

/** A calendar date, counted in days since 1970-01-01 (plain arithmetic: no zone is involved in naming a date). */
type DayNumber = number;
const DAY_MS = 86_400_000;

function dayNumberOf(local: DateTime): DayNumber {
  return Date.UTC(local.year, local.month - 1, local.day) / DAY_MS;
}

function dateParts(day: DayNumber) {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() || 7 };
}

function hourMinute(hhmm: string): { hour: number; minute: number } {
  const [h, m] = hhmm.split(':');
  return { hour: Number(h), minute: Number(m) };
}

/**
 * A span's real instants on one local date. The zone's rules (luxon, from the ICU data of Node.js) decide
 * the offset of each end: a span crossing a daylight-saving change is an hour shorter or longer, and a
 * local time that does not exist (02:30 on the last Sunday of March in Brussels) moves forward to the
 * first one that does. A close at or before the open is on the next day.
 */
function spanInterval(day: DayNumber, span: HoursSpan, zone: string): Interval {
  const open = hourMinute(span.open);
  const close = hourMinute(span.close);
  const { year, month, day: date } = dateParts(day);
  const start = DateTime.fromObject({ year, month, day: date, ...open }, { zone });
  const overnight = close.hour * 60 + close.minute <= open.hour * 60 + open.minute;
  const closeDate = dateParts(overnight ? day + 1 : day);
  const end = DateTime.fromObject({ year: closeDate.year, month: closeDate.month, day: closeDate.day, ...close }, { zone });
  return { start: start.toMillis(), end: end.toMillis() };
}

function isoDate(day: DayNumber): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The spans that open on one local date: the date's exception when there is one (closed, or its own
 * hours), else the weekly hours of its weekday (ISO, Monday 1). A span belongs to the day it opens on:
 * Friday's 11:00–02:00 still runs into a Saturday that an exception closes.
 */
function spansOfDay(schedule: Schedule, exceptions: Map<string, HoursException>, day: DayNumber): HoursSpan[] {
  const exception = exceptions.get(isoDate(day));
  if (exception) return exception.closed ? [] : (exception.hours ?? []);
  const weekday = dateParts(day).weekday;
  return schedule.hours.filter((h) => h.day === weekday);
}

/** Every opening of the local dates [first, first + days), merged where they overlap or touch. */
function openings(schedule: Schedule, first: DayNumber, days: number): Interval[] {
  const exceptions = new Map(schedule.exceptions.map((e) => [e.date, e]));
  const all: Interval[] = [];
  for (let day = first; day < first + days; day++) {
    for (const span of spansOfDay(schedule, exceptions, day)) {
      const interval = spanInterval(day, span, schedule.timezone);
      if (interval.end > interval.start) all.push(interval);
    }
  }
  all.sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const i of all) {
    const last = merged.at(-1);
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else merged.push({ ...i });
  }
  return merged;
}

function localDay(at: Date | number, zone: string): DayNumber {
  return dayNumberOf(DateTime.fromMillis(typeof at === 'number' ? at : at.getTime(), { zone }));
}

/** The instant a local date starts in a zone. */
function dayStart(day: DayNumber, zone: string): number {
  const { year, month, day: date } = dateParts(day);
  return DateTime.fromObject({ year, month, day: date }, { zone }).toMillis();
}

/**
 * Whether the schedule is open at `at`, and until when (or from when), as times of the schedule's
 * zone. Openings that touch or overlap count as one (11:00–15:00 then 15:00–23:00 closes at 23:00).
 * `closesAt` is left out when the opening goes on for more than a month (open all the time), `opensAt`
 * when nothing opens within a year.
 */
export function hoursAt(schedule: Schedule, at: Date): HoursAt {
  const zone = schedule.timezone;
  const now = at.getTime();
  const today = localDay(at, zone);
  for (const days of [FIRST_LOOK_DAYS, CLOSING_HORIZON_DAYS, HORIZON_DAYS]) {
    // From yesterday: its spans past midnight may still be running.
    const intervals = openings(schedule, today - 1, days + 1);
    const current = intervals.find((i) => i.start <= now && now < i.end);
    if (current) {
      // An opening that reaches the first day not looked at may go on with that day's spans.
      if (current.end < dayStart(today + days, zone)) return { open: true, closesAt: DateTime.fromMillis(current.end, { zone }) };
      if (days >= CLOSING_HORIZON_DAYS) return { open: true };
      continue;
    }
    const next = intervals.find((i) => i.start > now);
    if (next) return { open: false, opensAt: DateTime.fromMillis(next.start, { zone }) };
  }
  return { open: false };
}

/**
 * Milliseconds of opening time between `from` and `to`. Used to count only staffed time (the
 * escalation's clock runs while support is open).
 */
export function openMillisBetween(schedule: Schedule, from: Date, to: Date): number {
  if (to <= from) return 0;
  const first = localDay(from, schedule.timezone) - 1;
  const days = localDay(to, schedule.timezone) - first + 1;
  let total = 0;
  for (const i of openings(schedule, first, days)) {
    total += Math.max(0, Math.min(i.end, to.getTime()) - Math.max(i.start, from.getTime()));
  }
  return total;
}

/**
 * The latest instant `t` such that the schedule was open for `millis` between `t` and `now` (the start
 * of a wait of that much opening time ending now), or null when there was not that much opening time in
 * the year before `now`. A ticket waiting since at or before it has waited that long in staffed time.
 */
export function openTimeStartBefore(schedule: Schedule, now: Date, millis: number): Date | null {
  const zone = schedule.timezone;
  const end = now.getTime();
  const today = localDay(now, zone);
  let remaining = millis;
  // Whole weeks, newest first: a wait is normally met within the first one.
  for (let weeksBack = 0; weeksBack * 7 < HORIZON_DAYS; weeksBack++) {
    // Week k is the seven local days ending with today minus 7k days.
    const first = today + 1 - (weeksBack + 1) * 7;
    const windowStart = dayStart(first, zone);
    const windowEnd = Math.min(dayStart(first + 7, zone), end);
    const intervals = openings(schedule, first - 1, 9)
      .map((i) => ({ start: Math.max(i.start, windowStart), end: Math.min(i.end, windowEnd) }))
      .filter((i) => i.end > i.start)
      .reverse();
    for (const i of intervals) {
      const length = i.end - i.start;
      if (length >= remaining) return new Date(i.end - remaining);
      remaining -= length;
    }
  }
  return null;
}
