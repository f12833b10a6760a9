// @vitest-environment happy-dom
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { initDashboardI18n } from '../../../staff/i18n.ts';
import { BarChart } from './bar-chart.tsx';

beforeAll(async () => {
  await initDashboardI18n();
});

async function axisTexts(data: { label: string; value: number }[]) {
  const container = document.createElement('div');
  document.body.append(container);
  await act(() => {
    render(h(BarChart, { title: 'Chart', summary: 'summary', data, valueHeader: 'Count' }), container);
  });
  const texts = [...container.querySelectorAll('svg text')].map((n) => n.textContent ?? '');
  render(null, container);
  container.remove();
  return texts;
}

describe('BarChart', () => {
  it('draws whole-number grid labels on a count axis with one rating (no 0.5)', async () => {
    const texts = await axisTexts([1, 2, 3, 4, 5].map((s) => ({ label: `${s}★`, value: s === 4 ? 1 : 0 })));
    expect(texts).toContain('1');
    expect(texts.some((t) => t.includes('.'))).toBe(false);
  });

  it('labels the last of 30 days on the x-axis', async () => {
    const days = Array.from({ length: 30 }, (_, i) => ({ label: `day ${i + 1}`, value: i % 4 }));
    const texts = await axisTexts(days);
    expect(texts).toContain('day 30');
  });
});
