import { useState } from 'preact/hooks';
import { PriorityBadge, StatusBadge } from '../../../../staff/components/badges.tsx';
import { ErrorState, Loading } from '../../../../staff/components/states.tsx';
import { formatDateTime } from '../../../../staff/format.ts';
import { useTranslation } from '../../../../staff/i18n.ts';
import { useRecentTickets } from '../api/get-recent-tickets.ts';

/** Seed §10's database inspector: the newest tickets as stored, refreshed every 2 s. */
export function DatabaseInspector() {
  const { t, lang } = useTranslation();
  const [paused, setPaused] = useState(false);
  const tickets = useRecentTickets(paused);
  return (
    <section class="card" aria-labelledby="inspector-heading">
      <div class="card-header">
        <h2 id="inspector-heading">{t('debug.inspector.title')}</h2>
        <span class="header-meta">
          {tickets.dataUpdatedAt > 0 && (
            <span class="muted small">
              {t('debug.inspector.updated', { time: formatDateTime(new Date(tickets.dataUpdatedAt).toISOString(), lang) })}
            </span>
          )}
          <button type="button" class="btn btn-small" aria-pressed={paused} onClick={() => setPaused((p) => !p)}>
            {paused ? t('debug.resume') : t('debug.pause')}
          </button>
        </span>
      </div>
      {tickets.isPending ? (
        <Loading />
      ) : tickets.isError ? (
        <ErrorState error={tickets.error} onRetry={() => void tickets.refetch()} />
      ) : (
        <div class="table-wrap">
          <table class="table table-compact" data-testid="inspector-table">
            <thead>
              <tr>
                <th scope="col">ID</th>
                <th scope="col">{t('debug.inspector.email')}</th>
                <th scope="col">{t('queue.colStatus')}</th>
                <th scope="col">{t('queue.colPriority')}</th>
                <th scope="col">{t('ticket.language')}</th>
                <th scope="col">{t('debug.inspector.messages')}</th>
                <th scope="col">{t('ticket.order')}</th>
                <th scope="col">{t('queue.colCreated')}</th>
              </tr>
            </thead>
            <tbody>
              {tickets.data.tickets.map((ticket) => (
                <tr key={ticket.id}>
                  <td class="mono" title={ticket.id}>
                    {ticket.id.slice(0, 8)}
                  </td>
                  <td>{ticket.email}</td>
                  <td>
                    <StatusBadge status={ticket.status} />
                  </td>
                  <td>
                    <PriorityBadge priority={ticket.priority} />
                  </td>
                  <td>{ticket.lang}</td>
                  <td>{ticket.message_count}</td>
                  <td class="mono">{ticket.order_number ?? '—'}</td>
                  <td>{formatDateTime(ticket.created_at, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
