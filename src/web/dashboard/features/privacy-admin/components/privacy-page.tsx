import { useState } from 'preact/hooks';
import { ErrorState, Loading } from '../../../../staff/components/states.tsx';
import { useTranslation } from '../../../../staff/i18n.ts';
import { Link } from '../../../lib/router.tsx';
import { useAccessRecord, usePrivacySettings } from '../api/access-record.ts';

/**
 * Privacy for admins (docs/privacy.md): the retention periods in effect, and the access record (who
 * viewed, exported or erased whose data), for one address or everyone's.
 */
export function PrivacyPage() {
  const { t } = useTranslation();
  const [draft, setDraft] = useState('');
  const [email, setEmail] = useState('');
  const settings = usePrivacySettings();
  const record = useAccessRecord(email);
  return (
    <div class="page">
      <header class="page-header">
        <h1>{t('privacy.title')}</h1>
      </header>
      <section aria-labelledby="privacy-periods">
        <h2 id="privacy-periods">{t('privacy.periods')}</h2>
        {settings.data && (
          <ul data-testid="privacy-periods">
            <li>{t('privacy.closedTickets', { days: settings.data.closedTicketsDays })}</li>
            <li>{t('privacy.botThreads', { days: settings.data.botThreadsDays })}</li>
            <li>{t('privacy.sentEmails', { days: settings.data.sentEmailsDays })}</li>
            <li>{t('privacy.errorLogs', { days: settings.data.errorLogsDays })}</li>
            <li>{t('privacy.clientMetrics', { days: settings.data.clientMetricsDays })}</li>
            <li>{t('privacy.accessRecord', { days: settings.data.accessRecordDays })}</li>
          </ul>
        )}
      </section>
      <section aria-labelledby="privacy-record">
        <h2 id="privacy-record">{t('privacy.record')}</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setEmail(draft.trim().toLowerCase());
          }}
        >
          <label>
            {t('privacy.emailFilter')}{' '}
            <input type="email" value={draft} maxLength={254} onInput={(e) => setDraft(e.currentTarget.value)} />
          </label>{' '}
          <button type="submit">{t('privacy.search')}</button>
        </form>
        {record.isPending ? (
          <Loading />
        ) : record.isError ? (
          <ErrorState error={record.error} onRetry={() => void record.refetch()} />
        ) : record.data.entries.length === 0 ? (
          <p class="muted">{t('privacy.empty')}</p>
        ) : (
          <table data-testid="privacy-record">
            <thead>
              <tr>
                <th>{t('privacy.when')}</th>
                <th>{t('privacy.who')}</th>
                <th>{t('privacy.what')}</th>
                <th>{t('privacy.ticket')}</th>
              </tr>
            </thead>
            <tbody>
              {record.data.entries.map((e) => (
                <tr key={e.id}>
                  <td>{new Date(e.at).toLocaleString()}</td>
                  <td>{e.agentEmail ?? t(`privacy.actor.${e.actor}`)}</td>
                  <td>{t(`privacy.action.${e.action}`)}</td>
                  <td>{e.ticketId ? <Link to={`/tickets/${e.ticketId}`}>{e.ticketId.slice(0, 8)}</Link> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
