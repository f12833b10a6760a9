// @vitest-environment happy-dom
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { LANGS } from '../../../contracts/common.ts';
import { fixedT, setLang } from '../../lib/i18n.ts';
import { initDashboardI18n } from '../i18n.ts';
import { ClientMetricsPanel } from './client-metrics-panel.tsx';
import { KNOWN_METRICS, metricLabel } from './metric-names.ts';

beforeAll(async () => {
  await initDashboardI18n();
});

describe('metricLabel', () => {
  it('gives every metric the pages record a human name in French, English and Dutch', () => {
    for (const lang of LANGS) {
      const t = fixedT(lang, 'dashboard');
      for (const name of KNOWN_METRICS) {
        const label = metricLabel(name, t);
        expect(label, `${lang} ${name}`).not.toBe(name);
        expect(label, `${lang} ${name}`).not.toContain('clientMetrics.');
      }
    }
    expect(metricLabel('web_vitals_lcp', fixedT('en', 'dashboard'))).toBe('Page load: largest content shown (LCP)');
    expect(metricLabel('chat_ask', fixedT('en', 'dashboard'))).toBe('Questions asked to the bot (time to answer)');
  });

  it('shows a metric no page is known to record under its raw name', () => {
    expect(metricLabel('custom_metric', fixedT('fr', 'dashboard'))).toBe('custom_metric');
  });
});

describe('ClientMetricsPanel', () => {
  it('shows agents the human names, not web_vitals_lcp or chat_ask', async () => {
    await setLang('en');
    const row = (name: string) => ({ day: '2026-12-01', name, count: 3, avg: 1200, min: 900, max: 1500, p95: 1500 });
    const useSummary = (() => ({
      isPending: false,
      isError: false,
      data: { from: '2026-12-01', to: '2026-12-02', metrics: [row('web_vitals_lcp'), row('chat_ask'), row('custom_metric')] },
    })) as unknown as Parameters<typeof ClientMetricsPanel>[0]['useSummary'];
    const container = document.createElement('div');
    document.body.append(container);
    await act(() => {
      render(h(ClientMetricsPanel, { useSummary }), container);
    });
    const names = [...container.querySelectorAll('tbody th')].map((n) => n.textContent);
    expect(names).toEqual(['Page load: largest content shown (LCP)', 'Questions asked to the bot (time to answer)', 'custom_metric']);
    render(null, container);
    container.remove();
  });
});
