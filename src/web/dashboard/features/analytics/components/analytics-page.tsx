import { useState } from 'preact/hooks';
import { useTranslation } from '../../../../staff/i18n.ts';
import { AGENT_LIMITS, type AnalyticsResponse } from '../../../../../contracts/agents.ts';
import { INTENTS, TICKET_STATUSES } from '../../../../../contracts/tickets.ts';
import { BarChart } from '../../../components/charts/bar-chart.tsx';
import { HorizontalBars } from '../../../components/charts/horizontal-bars.tsx';
import { ErrorState, Loading } from '../../../../staff/components/states.tsx';
import { formatDateTime, formatDay, formatDuration, formatNumber, formatPercent } from '../../../../staff/format.ts';
import { Link } from '../../../lib/router.tsx';
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
  const perDayMessages = data.messagesPerDay.map((d) => ({ label: formatDay(d.date, lang), value: d.count }));
  const messagesTotal = data.messagesPerDay.reduce((n, d) => n + d.count, 0);
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
          <dt>{t('analytics.escalations')}</dt>
          <dd>
            <span class="stat-value">{formatNumber(data.escalations, lang, 0)}</span>
            <span class="stat-hint">{t('analytics.escalationsHint')}</span>
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
        <section class="card chart-card chart-wide">
          <BarChart
            title={t('analytics.messagesPerDay')}
            summary={t('analytics.messagesPerDaySummary', { total: messagesTotal, days: perDayMessages.length })}
            data={perDayMessages}
            valueHeader={t('analytics.messages')}
            width={1100}
          />
        </section>
        <section class="card chart-card chart-wide" aria-labelledby="per-agent-heading">
          <h2 id="per-agent-heading">{t('analytics.perAgent')}</h2>
          {data.perAgent.length === 0 ? (
            <p class="muted">{t('analytics.noAgents')}</p>
          ) : (
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">{t('analytics.agent')}</th>
                    <th scope="col">{t('analytics.firstResponses')}</th>
                    <th scope="col">{t('analytics.avgFirstResponse')}</th>
                    <th scope="col">{t('analytics.resolvedCount')}</th>
                    <th scope="col">{t('analytics.avgResolution')}</th>
                    <th scope="col">{t('analytics.replies')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.perAgent.map((a) => (
                    <tr key={a.agent_id}>
                      <th scope="row">{a.name ?? t('analytics.unknownAgent')}</th>
                      <td>{formatNumber(a.firstResponses, lang, 0)}</td>
                      <td>{formatDuration(a.avgFirstResponseSeconds, lang)}</td>
                      <td>{formatNumber(a.resolved, lang, 0)}</td>
                      <td>{formatDuration(a.avgResolutionSeconds, lang)}</td>
                      <td>{formatNumber(a.replies, lang, 0)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
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
        <section class="card chart-card chart-wide" aria-labelledby="rating-list-heading">
          <h2 id="rating-list-heading">{t('analytics.ratingList')}</h2>
          {data.ratings.length === 0 ? (
            <p class="muted">{t('analytics.noRatings')}</p>
          ) : (
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">{t('analytics.date')}</th>
                    <th scope="col">{t('analytics.score')}</th>
                    <th scope="col">{t('analytics.comment')}</th>
                    <th scope="col">{t('analytics.ticket')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.ratings.map((r) => (
                    <tr key={r.ticket_id}>
                      <td>
                        <time dateTime={r.created_at}>{formatDateTime(r.created_at, lang)}</time>
                      </td>
                      <td>{t('analytics.scoreLabel', { score: r.score })}</td>
                      <td>{r.comment ?? t('analytics.noComment')}</td>
                      <td>
                        <Link to={`/tickets/${r.ticket_id}`}>{r.ticket_id.slice(0, 8)}</Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>
    </>
  );
}
