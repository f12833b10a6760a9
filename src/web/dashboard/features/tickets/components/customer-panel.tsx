import { useState } from 'preact/hooks';
import type { AgentTicket } from '../../../../../contracts/agents.ts';
import { StatusBadge } from '../../../../staff/components/badges.tsx';
import { formatDateTime } from '../../../../staff/format.ts';
import { ApiError } from '../../../../staff/http.ts';
import { useTranslation } from '../../../../staff/i18n.ts';
import { Link } from '../../../lib/router.tsx';
import { useCustomerPanel } from '../api/get-customer-panel.ts';
import { useMergeTickets } from '../api/merge-tickets.ts';

/**
 * The customer beside the ticket: their other tickets (same e-mail; each a link, with its status, and a
 * merge into this ticket after a confirmation) and their orders.
 */
export function CustomerPanel({ ticket }: { ticket: AgentTicket }) {
  const { t, lang } = useTranslation();
  const panel = useCustomerPanel(ticket.id);
  const merge = useMergeTickets(ticket.id);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [merged, setMerged] = useState(false);
  const canMerge = (other: AgentTicket) => !ticket.merged_into && !other.merged_into;

  return (
    <section class="card side-card" aria-labelledby="customer-heading">
      <h2 id="customer-heading">{t('customerPanel.title')}</h2>
      {panel.isPending && <p class="muted small">{t('common.loading')}</p>}
      {panel.isError && <p class="error-text small">{t('errors.generic')}</p>}
      {panel.data && (
        <>
          <h3 class="subheading">{t('customerPanel.otherTickets')}</h3>
          {panel.data.tickets.length === 0 ? (
            <p class="muted small">{t('customerPanel.noOtherTickets')}</p>
          ) : (
            <ul class="customer-tickets">
              {panel.data.tickets.map((other) => (
                <li key={other.id} data-ticket={other.id}>
                  <Link to={`/tickets/${other.id}`}>{other.message.length > 60 ? `${other.message.slice(0, 60)}…` : other.message}</Link>
                  <span class="small">
                    <StatusBadge status={other.status} /> <time dateTime={other.created_at}>{formatDateTime(other.created_at, lang)}</time>
                  </span>
                  {other.merged_into ? (
                    <span class="muted small">
                      {other.merged_into === ticket.id ? t('customerPanel.mergedHere') : t('customerPanel.mergedElsewhere')}
                    </span>
                  ) : (
                    canMerge(other) &&
                    (confirming === other.id ? (
                      <span class="button-row">
                        <button
                          type="button"
                          class="btn btn-small"
                          disabled={merge.isPending}
                          onClick={() => merge.mutate(other.id, { onSuccess: () => (setConfirming(null), setMerged(true)) })}
                        >
                          {t('customerPanel.confirmMerge')}
                        </button>
                        <button type="button" class="btn btn-small btn-ghost" onClick={() => setConfirming(null)}>
                          {t('customerPanel.cancel')}
                        </button>
                      </span>
                    ) : (
                      <button
                        type="button"
                        class="btn btn-small btn-ghost"
                        aria-label={t('customerPanel.mergeLabel', { created: formatDateTime(other.created_at, lang) })}
                        onClick={() => (merge.reset(), setMerged(false), setConfirming(other.id))}
                      >
                        {t('customerPanel.merge')}
                      </button>
                    ))
                  )}
                </li>
              ))}
            </ul>
          )}
          <p class="small" role="status" aria-live="polite">
            {merge.error ? (
              <span class="error-text">
                {merge.error instanceof ApiError && merge.error.status > 0 && merge.error.status < 500 ? merge.error.message : t('errors.generic')}
              </span>
            ) : (
              merged && <span class="success-text">{t('customerPanel.mergeDone')}</span>
            )}
          </p>
          <h3 class="subheading">{t('customerPanel.orders')}</h3>
          {panel.data.orders.length === 0 ? (
            <p class="muted small">{t('customerPanel.noOrders')}</p>
          ) : (
            <ul class="customer-orders">
              {panel.data.orders.map((order) => (
                <li key={order.number}>
                  <span class="mono">{order.number}</span> <span class="badge">{t(`orderStatus.${order.status}`)}</span>{' '}
                  <time class="muted small" dateTime={order.created_at}>
                    {formatDateTime(order.created_at, lang)}
                  </time>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
