import { describe, expect, it } from 'vitest';
import { formatExceptions, formatWeek, parseExceptions, parsePostcodes, parseSpans, parseWeek } from './hours-text.ts';

describe('hours as admins type them', () => {
  it('reads several spans a day, one past midnight, and writes them back the same', () => {
    expect(parseSpans('11:30-14:30, 18:00-2:00')).toEqual([
      { open: '11:30', close: '14:30' },
      { open: '18:00', close: '02:00' },
    ]);
    const rows = ['11:00-23:00', '', '', '', '11:00-02:00', '11:00-14:00, 18:00-02:00', ''];
    const parsed = parseWeek(rows);
    expect(parsed).toMatchObject({ hours: expect.arrayContaining([{ day: 6, open: '18:00', close: '02:00' }]) });
    expect(formatWeek('hours' in parsed ? parsed.hours : [])).toEqual(rows);
  });

  it('names the first weekday or exception line it cannot read', () => {
    expect(parseWeek(['11:00-23:00', 'all day'])).toEqual({ badDay: 2 });
    expect(parseExceptions('2026-12-25 closed\n25/12 closed')).toEqual({ badLine: 2 });
    // Times outside HH:MM 00:00–23:59, which the contract refuses, are refused here with the day named.
    expect(parseSpans('11:00-24:00')).toBeNull();
    expect(parseSpans('11:75-23:00')).toBeNull();
    expect(parseWeek(['9:00-23:59', '11:00-23:00, 18:00-24:00'])).toEqual({ badDay: 2 });
  });

  it('reads closed days in the three languages and other hours, and writes them back', () => {
    const text = '2026-12-25 fermé\n2026-12-26 gesloten\n2026-12-31 11:00-03:00';
    const parsed = parseExceptions(text);
    expect(parsed).toEqual({
      exceptions: [
        { date: '2026-12-25', closed: true },
        { date: '2026-12-26', closed: true },
        { date: '2026-12-31', hours: [{ open: '11:00', close: '03:00' }] },
      ],
    });
    expect(formatExceptions('exceptions' in parsed ? parsed.exceptions : [], 'closed')).toBe('2026-12-25 closed\n2026-12-26 closed\n2026-12-31 11:00-03:00');
  });

  it('splits postcodes on spaces and commas', () => {
    expect(parsePostcodes(' 1000, 1050 1060\n59100 ')).toEqual(['1000', '1050', '1060', '59100']);
  });
});
