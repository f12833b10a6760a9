import { useTranslation } from '../../../../staff/i18n.ts';
import { formatDuration, formatNumber, formatPercent } from '../../../../staff/format.ts';
import { useAnalytics } from '../api/get-analytics.ts';
import { useChecklist } from '../api/get-checklist.ts';

function StatCard({ label, value, hint, alert = false }: { label: string; value: string; hint: string; alert?: boolean }) {
  return (
    <div class={alert ? 'stat-card stat-alert' : 'stat-card'}>
      <dt>{label}</dt>
      <dd>
        <span class="stat-value">{value}</span>
        <span class="stat-hint">{hint}</span>
      </dd>
    </div>
  );
}

/**
 * The seed's daily checklist at a glance (errors and first responses of the last 24 h, tickets open
 * now: one call), then the last 30 days' response, resolution and CSAT.
 */
export function StatCards() {
  const { t, lang } = useTranslation();
  const checklist = useChecklist();
  const c = checklist.data;
  const analytics = useAnalytics({});
  const a = analytics.data;
  const pending = t('common.loadingShort');
  return (
    <section aria-label={t('stats.label')} class="stat-sections">
      <h2 class="stat-heading">
        {t('stats.today')}
      </h2>
      <dl class="stat-grid">
        <StatCard
          label={t('stats.errors')}
          value={c ? formatNumber(c.errors.total, lang, 0) : pending}
          hint={c ? `${t('stats.errorsBySource', { server: c.errors.server, client: c.errors.client })} · ${t('stats.last24h')}` : t('stats.last24h')}
          alert={!!c && c.errors.total > 0}
        />
        <StatCard label={t('stats.open')} value={c ? formatNumber(c.openTickets, lang, 0) : pending} hint={t('stats.now')} />
        <StatCard
          label={t('stats.firstResponse')}
          value={c ? formatDuration(c.avgFirstResponseSeconds, lang) : pending}
          hint={c ? t('stats.responses24h', { count: c.firstResponses }) : t('stats.last24h')}
        />
      </dl>
      <h2 class="stat-heading">
        {t('stats.last30Label')}
      </h2>
      <dl class="stat-grid">
        <StatCard
          label={t('stats.firstResponse')}
          value={a ? formatDuration(a.avgResponseTimeSeconds, lang) : pending}
          hint={t('stats.last30')}
        />
        <StatCard
          label={t('stats.resolutionRate')}
          value={a ? formatPercent(a.resolutionRate, lang) : pending}
          hint={t('stats.last30')}
        />
        <StatCard
          label={t('stats.csat')}
          value={a ? (a.csat.average === null ? '—' : `${formatNumber(a.csat.average, lang)} / 5`) : pending}
          hint={a ? t('stats.ratings', { count: a.csat.count }) : t('stats.last30')}
        />
      </dl>
    </section>
  );
}
