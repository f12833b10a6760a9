import type { UseQueryResult } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import type { MetricsSummaryResponse } from '../../../contracts/debug.ts';
import { ErrorState, Loading } from '../components/states.tsx';
import { formatNumber } from '../format.ts';
import { useTranslation } from '../i18n.ts';
import { isKnownMetric, metricLabel } from './metric-names.ts';

const DAY_CHOICES = [1, 7, 30] as const;

type Props = {
  /** The query to show: the dashboard's analytics API, or the debug page's. */
  useSummary: (days: number) => UseQueryResult<MetricsSummaryResponse>;
  defaultDays?: (typeof DAY_CHOICES)[number];
  headingId?: string;
};

/**
 * What customers' browsers measured (docs/dashboard.md, client metrics): count, avg, min, max and p95 per metric and day. Shown on
 * the dashboard's analytics page and on the debug page.
 */
export function ClientMetricsPanel({ useSummary, defaultDays = 7, headingId = 'client-metrics-heading' }: Props) {
  const { t, lang } = useTranslation();
  const [days, setDays] = useState<number>(defaultDays);
  const summary = useSummary(days);
  // Web Vitals such as CLS are small fractions; timings are milliseconds.
  const n = (v: number) => formatNumber(v, lang, Math.abs(v) < 1 ? 3 : 1);
  return (
    <section class="card" aria-labelledby={headingId}>
      <div class="card-header">
        <h2 id={headingId}>{t('clientMetrics.title')}</h2>
        <span class="header-meta">
          <span class="muted small">{t('clientMetrics.hint')}</span>
          <label class="inline-field">
            <span class="sr-only">{t('clientMetrics.range')}</span>
            <select value={days} onChange={(e) => setDays(Number(e.currentTarget.value))}>
              {DAY_CHOICES.map((d) => (
                <option key={d} value={d}>
                  {d === 1 ? t('clientMetrics.today') : t('clientMetrics.days', { count: d })}
                </option>
              ))}
            </select>
          </label>
        </span>
      </div>
      {summary.isPending ? (
        <Loading />
      ) : summary.isError && !summary.data ? (
        <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />
      ) : summary.data.metrics.length === 0 ? (
        <p class="muted">{t('clientMetrics.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table class="table table-compact">
            <thead>
              <tr>
                <th scope="col">{t('clientMetrics.day')}</th>
                <th scope="col">{t('clientMetrics.name')}</th>
                <th scope="col">{t('clientMetrics.count')}</th>
                <th scope="col">{t('clientMetrics.avg')}</th>
                <th scope="col">{t('clientMetrics.min')}</th>
                <th scope="col">{t('clientMetrics.max')}</th>
                <th scope="col">p95</th>
              </tr>
            </thead>
            <tbody>
              {summary.data.metrics.map((m) => (
                <tr key={`${m.day}-${m.name}`}>
                  <td>{m.day}</td>
                  <th scope="row" class={isKnownMetric(m.name) ? undefined : 'mono'} title={m.name}>
                    {metricLabel(m.name, t)}
                  </th>
                  <td>{formatNumber(m.count, lang, 0)}</td>
                  <td>{n(m.avg)}</td>
                  <td>{n(m.min)}</td>
                  <td>{n(m.max)}</td>
                  <td>{n(m.p95)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
