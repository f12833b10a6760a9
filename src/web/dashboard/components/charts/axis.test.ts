import { describe, expect, it } from 'vitest';
import { countAxis, labelledBars } from './axis.ts';

describe('countAxis', () => {
  it('gives only whole-number ticks on a count axis, 0 and 1 for a single count (never 0.5)', () => {
    expect(countAxis(1)).toEqual({ top: 1, ticks: [0, 1] });
    expect(countAxis(0)).toEqual({ top: 1, ticks: [0, 1] });
    expect(countAxis(3)).toEqual({ top: 3, ticks: [0, 1, 2, 3] });
    expect(countAxis(6)).toEqual({ top: 6, ticks: [0, 2, 4, 6] });
    expect(countAxis(23)).toEqual({ top: 25, ticks: [0, 5, 10, 15, 20, 25] });
    for (let max = 0; max <= 2000; max += 1) {
      const { top, ticks } = countAxis(max);
      expect(ticks.every(Number.isInteger), `max ${max}`).toBe(true);
      expect(top, `max ${max}`).toBeGreaterThanOrEqual(max);
      expect(ticks.at(-1)).toBe(top);
      expect(ticks.length).toBeLessThanOrEqual(6);
    }
  });
});

describe('labelledBars', () => {
  it('always labels the last bar, so the axis ends on the last day of data', () => {
    for (const count of [1, 7, 10, 11, 30, 31, 90, 366]) {
      const shown = labelledBars(count);
      expect(shown.has(count - 1), `${count} bars`).toBe(true);
      expect(shown.size, `${count} bars`).toBeLessThanOrEqual(10);
    }
    expect([...labelledBars(30)].sort((a, b) => a - b)).toEqual([2, 5, 8, 11, 14, 17, 20, 23, 26, 29]);
  });

  it('labels every bar when there are few', () => {
    expect([...labelledBars(7)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
