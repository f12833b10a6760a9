import { ErrorState, Loading } from '../../../../staff/components/states.tsx';
import { formatDateTime, formatDuration } from '../../../../staff/format.ts';
import { useTranslation } from '../../../../staff/i18n.ts';
import { useDevMails } from '../api/get-dev-mails.ts';
import { useEmailQueue } from '../api/get-email-queue.ts';

/** The outgoing e-mail queue (the outbox's state and last errors) and the latest mails sent. */
export function EmailQueue() {
  const { t, lang } = useTranslation();
  const queue = useEmailQueue();
  const mails = useDevMails();
  return (
    <section class="card" aria-labelledby="emails-heading">
      <div class="card-header">
        <h2 id="emails-heading">{t('debug.emails.title')}</h2>
        {queue.data && <span class="muted small">{t('debug.emails.transport', { transport: queue.data.transport })}</span>}
      </div>
      {queue.isPending ? (
        <Loading />
      ) : queue.isError ? (
        <ErrorState error={queue.error} onRetry={() => void queue.refetch()} />
      ) : (
        <>
          <dl class="stat-grid stat-grid-compact">
            {(['pending', 'sent', 'failed', 'bounced'] as const).map((s) => (
              <div class="stat-card" key={s}>
                <dt>{t(`debug.emails.status.${s}`)}</dt>
                <dd>
                  <span class="stat-value">{queue.data.byStatus[s]}</span>
                </dd>
              </div>
            ))}
            <div class="stat-card">
              <dt>{t('debug.emails.due')}</dt>
              <dd>
                <span class="stat-value">{queue.data.due}</span>
                <span class="stat-hint">{t('debug.emails.retrying', { count: queue.data.retrying })}</span>
              </dd>
            </div>
            <div class="stat-card">
              <dt>{t('debug.emails.oldest')}</dt>
              <dd>
                <span class="stat-value">{formatDuration(queue.data.oldestPendingSeconds, lang)}</span>
              </dd>
            </div>
          </dl>
          {queue.data.lastErrors.length > 0 && (
            <div class="table-wrap">
              <h3 class="subheading">{t('debug.emails.lastErrors')}</h3>
              <table class="table table-compact">
                <thead>
                  <tr>
                    <th scope="col">{t('debug.emails.type')}</th>
                    <th scope="col">{t('queue.colStatus')}</th>
                    <th scope="col">{t('debug.emails.retries')}</th>
                    <th scope="col">{t('debug.emails.error')}</th>
                    <th scope="col">{t('debug.emails.nextRetry')}</th>
                  </tr>
                </thead>
                <tbody>
                  {queue.data.lastErrors.map((e) => (
                    <tr key={e.id}>
                      <td>{e.email_type}</td>
                      <td>{t(`debug.emails.status.${e.status}`)}</td>
                      <td>{e.retry_count}</td>
                      <td class="mono small">{e.last_error}</td>
                      <td>{formatDateTime(e.next_retry_at, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <h3 class="subheading">{t('debug.emails.recent')}</h3>
      {mails.isPending ? (
        <Loading />
      ) : mails.isError ? (
        <ErrorState error={mails.error} onRetry={() => void mails.refetch()} />
      ) : mails.data.emails.length === 0 ? (
        <p class="muted">{t('debug.emails.none')}</p>
      ) : (
        <ul class="mail-list">
          {mails.data.emails.map((m) => (
            <li key={m.id}>
              <details>
                <summary>
                  <strong>{m.subject}</strong> <span class="muted small">→ {m.recipient} · {formatDateTime(m.created_at, lang)}</span>
                </summary>
                <pre class="mail-body">{m.text_body}</pre>
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
