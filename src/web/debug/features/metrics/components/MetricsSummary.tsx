import { useState } from 'preact/hooks';
import { ErrorState, Loading } from '../../../../dashboard/components/States.tsx';
import { formatNumber } from '../../../../dashboard/lib/format.ts';
import { useTranslation } from '../../../../dashboard/lib/i18n.ts';
import { useMetricsSummary } from '../api/get-metrics-summary.ts';

const DAY_CHOICES = [1, 7, 30] as const;

/** Seed §4's performance summary (count, avg, min, max, p95 per metric) over what browsers reported. */
export function MetricsSummary() {
  const { t, lang } = useTranslation();
  const [days, setDays] = useState<number>(DAY_CHOICES[0]);
  const summary = useMetricsSummary(days);
  // Web Vitals such as CLS are small fractions; timings are milliseconds.
  const n = (v: number) => formatNumber(v, lang, Math.abs(v) < 1 ? 3 : 1);
  return (
    <section class="card" aria-labelledby="metrics-heading">
      <div class="card-header">
        <h2 id="metrics-heading">{t('debug.metrics.title')}</h2>
        <span class="header-meta">
          <span class="muted small">{t('debug.metrics.hint')}</span>
          <label class="inline-field">
            <span class="sr-only">{t('debug.metrics.range')}</span>
            <select value={days} onChange={(e) => setDays(Number(e.currentTarget.value))}>
              {DAY_CHOICES.map((d) => (
                <option key={d} value={d}>
                  {d === 1 ? t('debug.metrics.today') : t('debug.metrics.days', { count: d })}
                </option>
              ))}
            </select>
          </label>
        </span>
      </div>
      {summary.isPending ? (
        <Loading />
      ) : summary.isError ? (
        <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />
      ) : summary.data.metrics.length === 0 ? (
        <p class="muted">{t('debug.metrics.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table class="table table-compact">
            <thead>
              <tr>
                <th scope="col">{t('debug.metrics.day')}</th>
                <th scope="col">{t('debug.metrics.name')}</th>
                <th scope="col">{t('debug.metrics.count')}</th>
                <th scope="col">{t('debug.metrics.avg')}</th>
                <th scope="col">{t('debug.metrics.min')}</th>
                <th scope="col">{t('debug.metrics.max')}</th>
                <th scope="col">p95</th>
              </tr>
            </thead>
            <tbody>
              {summary.data.metrics.map((m) => (
                <tr key={`${m.day}-${m.name}`}>
                  <td>{m.day}</td>
                  <th scope="row" class="mono">
                    {m.name}
                  </th>
                  <td>{m.count}</td>
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
