import { useTranslation } from '../../../../staff/i18n.ts';
import { ErrorState, Loading } from '../../../../staff/components/states.tsx';
import { formatDateTime } from '../../../../staff/format.ts';
import { ApiError } from '../../../../staff/http.ts';
import { useTeamSettings, useUpdateTeamSettings } from '../api/team-settings.ts';

/**
 * Round-robin on or off, for the whole team (every instance): an admin's choice, kept across restarts.
 * AUTO_ASSIGN only gave the first value (docs/agents.md "Round-robin").
 */
export function AssignmentSettings() {
  const { t, lang } = useTranslation();
  const settings = useTeamSettings();
  const update = useUpdateTeamSettings();
  const current = settings.data;
  return (
    <section class="card" aria-labelledby="assignment-heading">
      <h2 id="assignment-heading">{t('agents.assignment.title')}</h2>
      {settings.isPending ? (
        <Loading />
      ) : settings.isError ? (
        <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <>
          <label class="alerts-toggle">
            <input
              type="checkbox"
              id="round-robin"
              checked={current!.autoAssign === 'round_robin'}
              disabled={update.isPending}
              onChange={(e) => update.mutate({ autoAssign: e.currentTarget.checked ? 'round_robin' : 'off' })}
            />
            {t('agents.assignment.roundRobin')}
          </label>
          <p class="muted small">{t('agents.assignment.hint')}</p>
          <p class="muted small">
            {current!.updatedBy
              ? t('agents.assignment.changedBy', { name: current!.updatedBy.name, date: formatDateTime(current!.updatedAt!, lang) })
              : t('agents.assignment.firstValue')}
          </p>
        </>
      )}
      {update.error && (
        <p class="alert alert-error" role="alert">
          {update.error instanceof ApiError && update.error.status > 0 && update.error.status < 500 ? update.error.message : t('errors.generic')}
        </p>
      )}
    </section>
  );
}
