import { useState } from 'preact/hooks';
import { useTranslation } from '../../../../staff/i18n.ts';
import { AGENT_LIMITS, type AnalyticsResponse } from '../../../../../contracts/agents.ts';
import { INTENTS, TICKET_STATUSES } from '../../../../../contracts/tickets.ts';
import { BarChart } from '../../../components/charts/bar-chart.tsx';
import { HorizontalBars } from '../../../components/charts/horizontal-bars.tsx';
import { ErrorState, Loading } from '../../../../staff/components/states.tsx';
import { formatDay, formatDuration, formatNumber, formatPercent } from '../../../../staff/format.ts';
import { useAnalytics } from '../api/get-analytics.ts';
import { useClientMetrics } from '../api/get-client-metrics.ts';
import { ClientMetricsPanel } from '../../../../staff/client-metrics/client-metrics-panel.tsx';

const DAY_MS = 86_400_000;
const PRESETS = [7, 30, 90] as const;

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const rangeOf = (days: number) => ({ from: isoDay(Date.now() - (days - 1) * DAY_MS), to: isoDay(Date.now()) });

export function AnalyticsPage() {
  const { t } = useTranslation();
  const [range, setRange] = useState(() => rangeOf(AGENT_LIMITS.analyticsDefaultDays));
  const [draft, setDraft] = useState(range);
  const query = useAnalytics(range);
  const invalid = !draft.from || !draft.to || draft.from > draft.to;

  return (
    <div class="page">
      <header class="page-header">
        <h1>{t('analytics.title')}</h1>
      </header>
      <form
        class="card toolbar"
        aria-label={t('analytics.range')}
        onSubmit={(e) => {
          e.preventDefault();
          if (!invalid) setRange(draft);
        }}
      >
        <label class="field">
          <span>{t('analytics.from')}</span>
          <input type="date" value={draft.from} max={draft.to} onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })} />
        </label>
        <label class="field">
          <span>{t('analytics.to')}</span>
          <input type="date" value={draft.to} min={draft.from} onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })} />
        </label>
        <button type="submit" class="btn btn-primary" disabled={invalid}>
          {t('analytics.apply')}
        </button>
        <div class="preset-group" role="group" aria-label={t('analytics.presets')}>
          {PRESETS.map((days) => (
            <button
              key={days}
              type="button"
              class="btn btn-ghost"
              onClick={() => {
                const r = rangeOf(days);
                setDraft(r);
                setRange(r);
              }}
            >
              {t('analytics.lastDays', { count: days })}
            </button>
          ))}
        </div>
        <a class="btn btn-ghost" href={`/api/agent/tickets.csv?from=${range.from}&to=${range.to}`} download="tickets.csv">
          {t('analytics.exportCsv')}
        </a>
      </form>
      {query.isPending ? (
        <Loading />
      ) : query.isError && !query.data ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <AnalyticsCharts data={query.data} />
      )}
      <ClientMetricsPanel useSummary={useClientMetrics} />
    </div>
  );
}

function AnalyticsCharts({ data }: { data: AnalyticsResponse }) {
  const { t, lang } = useTranslation();
  const perDay = data.ticketsPerDay.map((d) => ({ label: formatDay(d.date, lang), value: d.count }));
  const busiest = perDay.reduce((best, d) => (d.value > (best?.value ?? -1) ? d : best), perDay[0]);
  const times = [
    { label: t('analytics.avgFirstResponse'), seconds: data.avgResponseTimeSeconds },
    { label: t('analytics.p90FirstResponse'), seconds: data.p90ResponseTimeSeconds },
    { label: t('analytics.avgResolution'), seconds: data.avgResolutionTimeSeconds },
  ].map((d) => ({ label: d.label, value: d.seconds ?? 0, display: formatDuration(d.seconds, lang) }));
  const statuses = TICKET_STATUSES.map((s) => ({ label: t(`status.${s}`), value: data.statusBreakdown[s], tone: `tone-${s}` }));
  const intents = INTENTS.map((i) => ({ label: t(`intent.${i}`), value: data.intentBreakdown[i] })).sort((a, b) => b.value - a.value);
  const csat = ([1, 2, 3, 4, 5] as const).map((score) => ({
    label: t('analytics.scoreLabel', { score }),
    value: data.csat.distribution[score],
    tone: `tone-score-${score}`,
  }));
  const list = (items: { label: string; value: number }[]) => items.map((d) => `${d.label} ${d.value}`).join(', ');

  return (
    <>
      <dl class="stat-grid">
        <div class="stat-card">
          <dt>{t('analytics.totalTickets')}</dt>
          <dd>
            <span class="stat-value">{formatNumber(data.totalTickets, lang, 0)}</span>
          </dd>
        </div>
        <div class="stat-card">
          <dt>{t('stats.firstResponse')}</dt>
          <dd>
            <span class="stat-value">{formatDuration(data.avgResponseTimeSeconds, lang)}</span>
            <span class="stat-hint">{t('analytics.responses', { count: data.responseCount })}</span>
          </dd>
        </div>
        <div class="stat-card">
          <dt>{t('stats.resolutionRate')}</dt>
          <dd>
            <span class="stat-value">{formatPercent(data.resolutionRate, lang)}</span>
            <span class="stat-hint">{t('analytics.resolved', { count: data.resolvedCount })}</span>
          </dd>
        </div>
        <div class="stat-card">
          <dt>{t('stats.csat')}</dt>
          <dd>
            <span class="stat-value">{data.csat.average === null ? '—' : `${formatNumber(data.csat.average, lang)} / 5`}</span>
            <span class="stat-hint">{t('stats.ratings', { count: data.csat.count })}</span>
          </dd>
        </div>
        <div class="stat-card">
          <dt>{t('stats.deflection')}</dt>
          <dd>
            <span class="stat-value">{formatPercent(data.deflection.rate, lang)}</span>
            <span class="stat-hint">{t('stats.deflectionHint', data.deflection)}</span>
          </dd>
        </div>
      </dl>
      <div class="chart-grid">
        <section class="card chart-card chart-wide">
          <BarChart
            title={t('analytics.ticketsPerDay')}
            summary={t('analytics.ticketsPerDaySummary', {
              total: data.totalTickets,
              days: perDay.length,
              busiest: busiest?.label ?? '—',
              max: busiest?.value ?? 0,
            })}
            data={perDay}
            valueHeader={t('analytics.tickets')}
            width={1100}
          />
        </section>
        <section class="card chart-card">
          <HorizontalBars
            title={t('analytics.responseTimes')}
            summary={times.map((d) => `${d.label} ${d.display}`).join(', ')}
            data={times}
            valueHeader={t('analytics.duration')}
          />
        </section>
        <section class="card chart-card">
          <HorizontalBars title={t('analytics.statusBreakdown')} summary={list(statuses)} data={statuses} valueHeader={t('analytics.tickets')} />
        </section>
        <section class="card chart-card">
          <HorizontalBars title={t('analytics.intentBreakdown')} summary={list(intents)} data={intents} valueHeader={t('analytics.tickets')} />
        </section>
        <section class="card chart-card">
          <BarChart
            title={t('analytics.csat')}
            summary={t('analytics.csatSummary', {
              average: data.csat.average === null ? '—' : formatNumber(data.csat.average, lang),
              count: data.csat.count,
            })}
            data={csat}
            valueHeader={t('analytics.ratingsHeader')}
          />
        </section>
      </div>
    </>
  );
}
