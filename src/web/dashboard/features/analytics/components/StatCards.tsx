import { useTranslation } from '../../../lib/i18n.ts';
import { formatDuration, formatNumber, formatPercent } from '../../../lib/format.ts';
import { useAnalytics } from '../api/get-analytics.ts';
import { useOpenCount } from '../api/get-open-count.ts';

function StatCard({ label, value, hint }: { label: string; value: string; hint: string }) {
  return (
    <div class="stat-card">
      <dt>{label}</dt>
      <dd>
        <span class="stat-value">{value}</span>
        <span class="stat-hint">{hint}</span>
      </dd>
    </div>
  );
}

/** The seed's daily glance: open tickets now, and the last 30 days' response, resolution and CSAT. */
export function StatCards() {
  const { t, lang } = useTranslation();
  const open = useOpenCount();
  const analytics = useAnalytics({});
  const a = analytics.data;
  const pending = t('common.loadingShort');
  return (
    <section aria-label={t('stats.label')}>
      <dl class="stat-grid">
        <StatCard label={t('stats.open')} value={open.data === undefined ? pending : formatNumber(open.data, lang, 0)} hint={t('stats.now')} />
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
