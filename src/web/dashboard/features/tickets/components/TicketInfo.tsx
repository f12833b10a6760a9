import { useTranslation } from '../../../lib/i18n.ts';
import { formatDateTime } from '../../../lib/format.ts';
import type { TicketDetail } from '../api/get-ticket.ts';

/** Who wrote, when, in which language, and the linked order when the API returns one. */
export function TicketInfo({ detail }: { detail: TicketDetail }) {
  const { t, lang } = useTranslation();
  const { ticket, order } = detail;
  return (
    <section class="card side-card" aria-labelledby="info-heading">
      <h2 id="info-heading">{t('ticket.details')}</h2>
      <dl class="details">
        <dt>{t('ticket.customer')}</dt>
        <dd>
          <a href={`mailto:${ticket.email}`}>{ticket.email}</a>
        </dd>
        <dt>{t('ticket.language')}</dt>
        <dd>{t(`languages.${ticket.lang}`)}</dd>
        <dt>{t('ticket.created')}</dt>
        <dd>{formatDateTime(ticket.created_at, lang)}</dd>
        <dt>{t('ticket.lastAgentReply')}</dt>
        <dd>{ticket.last_agent_reply_at ? formatDateTime(ticket.last_agent_reply_at, lang) : t('ticket.noReplyYet')}</dd>
        {ticket.order_number && (
          <>
            <dt>{t('ticket.order')}</dt>
            <dd class="mono">{ticket.order_number}</dd>
          </>
        )}
      </dl>
      {order && (
        <div class="order-card" aria-label={t('ticket.linkedOrder')}>
          <p>
            <strong>{t('ticket.linkedOrder')}</strong> <span class="mono">{order.number}</span>
          </p>
          <p>
            {t('ticket.orderStatus')}: <span class="badge">{order.status}</span>
          </p>
          {order.eta && (
            <p>
              {t('ticket.orderEta')}: {formatDateTime(order.eta, lang)}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
