import { useTranslation } from '../../../../staff/i18n.ts';
import { formatDateTime, formatMoney } from '../../../../staff/format.ts';
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
        <div class="order-card">
          <h3 class="subheading">
            {t('ticket.linkedOrder')} <span class="mono">{order.number}</span>
          </h3>
          <p>
            <span class="badge">{t(`orderStatus.${order.status}`)}</span>
            {order.eta && (
              <span class="muted small">
                {' '}
                · {t('ticket.orderEta')} {formatDateTime(order.eta, lang)}
              </span>
            )}
          </p>
          <ul class="order-items">
            {order.items.map((item, i) => (
              <li key={`${i}-${item.name}`}>
                <span>
                  {item.qty} × {item.name}
                </span>
                <span>{formatMoney(item.qty * item.price, lang)}</span>
              </li>
            ))}
          </ul>
          {order.events.length > 0 && (
            <ol class="order-events">
              {order.events.map((e, i) => (
                <li key={`${i}-${e.at}`}>
                  <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time> {t(`orderStatus.${e.status}`)}
                  {e.note && <span class="muted"> · {e.note}</span>}
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </section>
  );
}
