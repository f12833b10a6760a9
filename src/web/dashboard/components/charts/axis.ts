/** At most this many intervals between grid lines on a count axis: enough to read, few enough to stay airy. */
const MAX_INTERVALS = 5;
const STEP_MULTIPLIERS = [1, 2, 5] as const;
/** Bar labels shown at most under one chart before they crowd each other. */
export const MAX_BAR_LABELS = 10;

/**
 * A count axis (tickets, ratings): whole-number grid lines only, on a 1, 2, 5 × 10ⁿ step, from 0 to the
 * first multiple of that step at or above `max`. A count of 1 gives 0 and 1, never 0.5.
 */
export function countAxis(max: number): { top: number; ticks: number[] } {
  const highest = Math.max(1, Math.ceil(max));
  for (let scale = 1; ; scale *= 10) {
    for (const m of STEP_MULTIPLIERS) {
      const step = m * scale;
      const intervals = Math.ceil(highest / step);
      if (intervals <= MAX_INTERVALS) {
        return { top: intervals * step, ticks: Array.from({ length: intervals + 1 }, (_, i) => i * step) };
      }
    }
  }
}

/**
 * Which bars get a label when there are too many to label all: every n-th, counted back from the last
 * one so the axis always ends on the newest bar (counting from the first left the last days unlabelled).
 */
export function labelledBars(count: number, maxLabels = MAX_BAR_LABELS): Set<number> {
  const every = Math.max(1, Math.ceil(count / maxLabels));
  const shown = new Set<number>();
  for (let i = count - 1; i >= 0; i -= every) shown.add(i);
  return shown;
}
