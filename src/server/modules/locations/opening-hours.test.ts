import { describe, expect, it } from 'vitest';
import type { Schedule, WeeklySpan } from '../../../contracts/locations.ts';
import { hoursAt, openMillisBetween, openTimeStartBefore } from './opening-hours.ts';

const BRUSSELS = 'Europe/Brussels';
const everyDay = (open: string, close: string): WeeklySpan[] => [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, open, close }));
const schedule = (hours: WeeklySpan[], exceptions: Schedule['exceptions'] = [], timezone = BRUSSELS): Schedule => ({ timezone, hours, exceptions });

/** What hoursAt says, with its times as ISO strings in the schedule's zone. */
function at(s: Schedule, iso: string) {
  const r = hoursAt(s, new Date(iso));
  return { open: r.open, opensAt: r.opensAt?.toISO({ suppressMilliseconds: true }), closesAt: r.closesAt?.toISO({ suppressMilliseconds: true }) };
}

// 2026: Friday 2 Jan … the last Sunday of March is the 29th (02:00 → 03:00), of October the 25th (03:00 → 02:00).
describe('hoursAt, a span past midnight', () => {
  const friLate = schedule([
    { day: 5, open: '11:00', close: '02:00' },
    { day: 6, open: '11:00', close: '23:00' },
  ]);

  it('is open on Friday evening until 02:00 on Saturday', () => {
    expect(at(friLate, '2026-01-09T22:30:00+01:00')).toEqual({ open: true, closesAt: '2026-01-10T02:00:00+01:00', opensAt: undefined });
  });

  it('is still open at 01:30 on Saturday, seen from the day after', () => {
    expect(at(friLate, '2026-01-10T01:30:00+01:00')).toEqual({ open: true, closesAt: '2026-01-10T02:00:00+01:00', opensAt: undefined });
  });

  it('is closed at 02:00 on Saturday and opens again at 11:00', () => {
    expect(at(friLate, '2026-01-10T02:00:00+01:00')).toEqual({ open: false, opensAt: '2026-01-10T11:00:00+01:00', closesAt: undefined });
  });

  it('takes a close equal to the open as 24 hours, and a close at 00:00 as midnight', () => {
    const s = schedule([{ day: 1, open: '06:00', close: '06:00' }, { day: 3, open: '18:00', close: '00:00' }]);
    expect(at(s, '2026-01-06T05:00:00+01:00')).toMatchObject({ open: true, closesAt: '2026-01-06T06:00:00+01:00' });
    expect(at(s, '2026-01-07T23:59:00+01:00')).toMatchObject({ open: true, closesAt: '2026-01-08T00:00:00+01:00' });
  });
});

describe('hoursAt across daylight-saving changes in Brussels', () => {
  const late = schedule(everyDay('11:00', '02:00'));

  it('closes at 03:00 summer time the night the clocks go forward (last Sunday of March), an hour shorter', () => {
    // 02:00 does not exist on 29 March 2026: the closing moves to the first local time that does.
    const r = hoursAt(late, new Date('2026-03-28T23:00:00+01:00'));
    expect(r.closesAt?.toISO({ suppressMilliseconds: true })).toBe('2026-03-29T03:00:00+02:00');
    expect(r.closesAt!.toMillis()).toBe(Date.parse('2026-03-29T01:00:00Z'));
    expect(at(late, '2026-03-29T01:30:00Z')).toMatchObject({ open: false, opensAt: '2026-03-29T11:00:00+02:00' });
  });

  it('opens at 11:00 local time on both sides of a change, whatever the offset', () => {
    expect(at(late, '2026-03-29T08:00:00Z')).toMatchObject({ open: false, opensAt: '2026-03-29T11:00:00+02:00' });
    expect(at(late, '2026-03-29T09:30:00Z')).toMatchObject({ open: true, closesAt: '2026-03-30T02:00:00+02:00' });
    expect(at(late, '2026-10-25T09:30:00Z')).toMatchObject({ open: false, opensAt: '2026-10-25T11:00:00+01:00' });
    expect(at(late, '2026-10-25T10:30:00Z')).toMatchObject({ open: true });
  });

  it('stays open an hour longer the night the clocks go back (last Sunday of October)', () => {
    const s = schedule(everyDay('11:00', '03:00'));
    // Saturday 24 October 11:00 (+02:00) to Sunday 25 October 03:00 (+01:00): 17 real hours, not 16.
    const r = hoursAt(s, new Date('2026-10-24T20:00:00Z'));
    expect(r.closesAt?.toISO({ suppressMilliseconds: true })).toBe('2026-10-25T03:00:00+01:00');
    expect(openMillisBetween(s, new Date('2026-10-24T09:00:00Z'), new Date('2026-10-25T02:00:00Z'))).toBe(17 * 3_600_000);
    expect(at(s, '2026-10-25T01:30:00Z')).toMatchObject({ open: true });
    expect(at(s, '2026-10-25T02:00:00Z')).toMatchObject({ open: false });
  });

  it('gives Paris its own zone: the same wall-clock hours in another zone', () => {
    const paris = schedule(everyDay('11:00', '23:00'), [], 'Europe/Paris');
    const london = schedule(everyDay('11:00', '23:00'), [], 'Europe/London');
    expect(at(paris, '2026-07-01T10:30:00Z')).toMatchObject({ open: true, closesAt: '2026-07-01T23:00:00+02:00' });
    expect(at(london, '2026-07-01T09:30:00Z')).toMatchObject({ open: false, opensAt: '2026-07-01T11:00:00+01:00' });
  });
});

describe('hoursAt with exceptions and several spans a day', () => {
  const lunchAndDinner = schedule([
    { day: 1, open: '11:30', close: '14:30' },
    { day: 1, open: '18:00', close: '23:00' },
    { day: 2, open: '11:30', close: '23:00' },
  ]);

  it('is closed between two spans of a day and says when it opens again', () => {
    expect(at(lunchAndDinner, '2026-01-05T12:00:00+01:00')).toMatchObject({ open: true, closesAt: '2026-01-05T14:30:00+01:00' });
    expect(at(lunchAndDinner, '2026-01-05T15:00:00+01:00')).toMatchObject({ open: false, opensAt: '2026-01-05T18:00:00+01:00' });
  });

  it('joins spans that touch into one opening', () => {
    const s = schedule([{ day: 1, open: '11:00', close: '15:00' }, { day: 1, open: '15:00', close: '23:00' }]);
    expect(at(s, '2026-01-05T12:00:00+01:00')).toMatchObject({ open: true, closesAt: '2026-01-05T23:00:00+01:00' });
  });

  it('is closed all day on a closed exception and opens on the next ordinary day', () => {
    const s = schedule(everyDay('11:00', '23:00'), [{ date: '2026-12-25', closed: true }]);
    expect(at(s, '2026-12-25T13:00:00+01:00')).toEqual({ open: false, opensAt: '2026-12-26T11:00:00+01:00', closesAt: undefined });
    expect(at(s, '2026-12-24T22:00:00+01:00')).toMatchObject({ open: true, closesAt: '2026-12-24T23:00:00+01:00' });
  });

  it('uses an exception day’s own hours instead of the weekly ones (a Ramadan evening past midnight)', () => {
    const s = schedule(everyDay('11:00', '23:00'), [{ date: '2026-02-20', hours: [{ open: '17:00', close: '03:00' }] }]);
    expect(at(s, '2026-02-20T12:00:00+01:00')).toMatchObject({ open: false, opensAt: '2026-02-20T17:00:00+01:00' });
    expect(at(s, '2026-02-21T02:00:00+01:00')).toMatchObject({ open: true, closesAt: '2026-02-21T03:00:00+01:00' });
  });

  it('lets the previous night’s span run into a day an exception closes (a span belongs to the day it opens)', () => {
    const s = schedule(everyDay('11:00', '02:00'), [{ date: '2026-01-01', closed: true }]);
    expect(at(s, '2026-01-01T01:00:00+01:00')).toMatchObject({ open: true, closesAt: '2026-01-01T02:00:00+01:00' });
    expect(at(s, '2026-01-01T12:00:00+01:00')).toMatchObject({ open: false, opensAt: '2026-01-02T11:00:00+01:00' });
  });

  it('looks past a month of closed days for the next opening, and says nothing when there is none', () => {
    const closedAugust = Array.from({ length: 31 }, (_, i) => ({ date: `2026-08-${String(i + 1).padStart(2, '0')}`, closed: true as const }));
    const s = schedule(everyDay('11:00', '23:00'), closedAugust);
    expect(at(s, '2026-08-10T12:00:00+02:00')).toMatchObject({ open: false, opensAt: '2026-09-01T11:00:00+02:00' });
    expect(at(schedule([]), '2026-08-10T12:00:00+02:00')).toEqual({ open: false, opensAt: undefined, closesAt: undefined });
  });

  it('has no closing time when it never closes', () => {
    expect(at(schedule(everyDay('00:00', '00:00')), '2026-08-10T12:00:00+02:00')).toEqual({ open: true, opensAt: undefined, closesAt: undefined });
  });
});

describe('openTimeStartBefore (staffed time)', () => {
  const support = schedule(everyDay('11:00', '23:00'));
  const h = 3_600_000;

  it('counts back only through opening hours: 2 staffed hours at 12:00 started at 22:00 the day before', () => {
    expect(openTimeStartBefore(support, new Date('2026-01-06T12:00:00+01:00'), 2 * h)?.toISOString()).toBe('2026-01-05T21:00:00.000Z');
  });

  it('counts back within the day while open', () => {
    expect(openTimeStartBefore(support, new Date('2026-01-06T20:00:00+01:00'), 2 * h)?.toISOString()).toBe('2026-01-06T17:00:00.000Z');
  });

  it('agrees with openMillisBetween', () => {
    const now = new Date('2026-03-30T12:34:00+02:00');
    const start = openTimeStartBefore(support, now, 30 * h)!;
    expect(openMillisBetween(support, start, now)).toBe(30 * h);
  });

  it('is null when a year holds less opening time than asked', () => {
    expect(openTimeStartBefore(schedule([]), new Date('2026-01-06T12:00:00+01:00'), h)).toBeNull();
  });
});
