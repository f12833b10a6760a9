import { describe, expect, it } from 'vitest';
import { ChatPerformanceMonitor, percentile, type PerformanceMetric } from './perf-monitor.ts';

describe('ChatPerformanceMonitor', () => {
  it('summarizes count, avg, min, max and nearest-rank p95 per name', () => {
    const m = new ChatPerformanceMonitor();
    m.configure({ enabled: false });
    for (let i = 1; i <= 20; i++) m.recordMetric('render', i);
    m.recordMetric('other', 7);
    expect(m.getSummary('render')).toEqual({ count: 20, avg: 10.5, min: 1, max: 20, p95: 19 });
    expect(Object.keys(m.getSummary())).toEqual(['render', 'other']);
    expect(m.getSummary('none')).toBeNull();
  });

  it('sends in batches of at most 50 and ignores non-finite values', () => {
    const batches: PerformanceMetric[][] = [];
    const m = new ChatPerformanceMonitor(60_000);
    m.configure({ sender: (_url, metrics) => batches.push(metrics) });
    m.recordMetric('bad', Number.NaN);
    for (let i = 0; i < 120; i++) m.recordMetric('x', i);
    m.flush();
    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
  });

  it('measures with startMeasure', () => {
    const m = new ChatPerformanceMonitor();
    m.configure({ enabled: false });
    const end = m.startMeasure('op');
    expect(end()).toBeGreaterThanOrEqual(0);
    expect(m.getSummary('op')?.count).toBe(1);
  });

  it('computes the seed percentile', () => {
    expect(percentile([5, 1, 3, 2, 4], 0.95)).toBe(5);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
  });
});
