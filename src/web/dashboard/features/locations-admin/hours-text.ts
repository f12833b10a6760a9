import type { HoursException, HoursSpan, WeeklySpan } from '../../../../contracts/locations.ts';

/**
 * The hours as admins type them: one line per weekday, "11:00-23:00, 18:00-02:00" (a close at or before
 * the open runs past midnight); exceptions one per line, "2026-12-25 closed" or "2026-12-31 11:00-03:00".
 * The server validates what this produces again (postcodes, duplicate dates, time zone).
 */
// Hours 0–23 and minutes 0–59 as the contract's HH:MM: "24:00" or "11:75" is refused here, in the page's
// language and naming the day, rather than by the server's generic "invalid request".
const TIME = '([01]?\\d|2[0-3]):([0-5]\\d)';
const SPAN = new RegExp(`^${TIME}\\s*[-–]\\s*${TIME}$`);
const CLOSED_WORDS = new Set(['closed', 'fermé', 'ferme', 'gesloten', 'dicht', '-']);

const pad = (n: string) => n.padStart(2, '0');

/** "11:00-23:00, 18:00-02:00" → spans; null when a part is not a span. An empty text is no span. */
export function parseSpans(text: string): HoursSpan[] | null {
  const parts = text.split(/[,;]/).map((p) => p.trim()).filter(Boolean);
  const spans: HoursSpan[] = [];
  for (const part of parts) {
    const m = SPAN.exec(part);
    if (!m) return null;
    spans.push({ open: `${pad(m[1]!)}:${m[2]}`, close: `${pad(m[3]!)}:${m[4]}` });
  }
  return spans;
}

export function formatSpans(spans: HoursSpan[]): string {
  return spans.map((s) => `${s.open}-${s.close}`).join(', ');
}

/** The weekly rows (index 0 = Monday) → the contract's `hours`; the index of the first unreadable row otherwise. */
export function parseWeek(rows: string[]): { hours: WeeklySpan[] } | { badDay: number } {
  const hours: WeeklySpan[] = [];
  for (const [i, row] of rows.entries()) {
    const spans = parseSpans(row);
    if (!spans) return { badDay: i + 1 };
    hours.push(...spans.map((s) => ({ day: i + 1, ...s })));
  }
  return { hours };
}

export function formatWeek(hours: WeeklySpan[]): string[] {
  return [1, 2, 3, 4, 5, 6, 7].map((day) => formatSpans(hours.filter((h) => h.day === day)));
}

/** One exception per line → the contract's `exceptions`; the number of the first unreadable line otherwise. */
export function parseExceptions(text: string): { exceptions: HoursException[] } | { badLine: number } {
  const exceptions: HoursException[] = [];
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(\d{4}-\d{2}-\d{2})\s+(.+)$/.exec(line);
    if (!m) return { badLine: i + 1 };
    const rest = m[2]!.trim();
    if (CLOSED_WORDS.has(rest.toLowerCase())) {
      exceptions.push({ date: m[1]!, closed: true });
      continue;
    }
    const spans = parseSpans(rest);
    if (!spans?.length) return { badLine: i + 1 };
    exceptions.push({ date: m[1]!, hours: spans });
  }
  return { exceptions };
}

export function formatExceptions(exceptions: HoursException[], closedWord: string): string {
  return exceptions.map((e) => `${e.date} ${e.closed ? closedWord : formatSpans(e.hours ?? [])}`).join('\n');
}

/** "1000, 1050 1060" → ["1000", "1050", "1060"]. */
export function parsePostcodes(text: string): string[] {
  return text.split(/[\s,;]+/).map((p) => p.trim()).filter(Boolean);
}
