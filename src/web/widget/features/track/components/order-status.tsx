import { useTranslation } from '../../../../lib/i18n.ts';
import type { TrackedOrder } from '../api/track-order.ts';
import { eventTime, linePrice } from '../order-format.ts';

/**
 * An order's status, its expected arrival, what was ordered and its history; `live` says updates arrive
 * by themselves. `now` decides which events are today's (time only) and which show their date.
 */
export function OrderStatus({ order, live = false, now }: { order: TrackedOrder; live?: boolean; now?: Date }) {
  const { t, lang } = useTranslation();
  const status = (s: string) => t(`track.status.${s}`, { defaultValue: s });
  const when = (iso: string | null | undefined) => eventTime(iso, lang, now);
  return (
    <section class="tf-order" aria-labelledby="tf-order-title">
      <h2 id="tf-order-title" class="tf-h2">
        {t('track.order', { number: order.number })}
      </h2>
      <p class="tf-order__status" role="status" aria-live="polite">
        <span class={`tf-pill tf-pill--${order.status}`}>{status(order.status)}</span>
        {order.eta && <span> · {t('track.eta', { time: when(order.eta) })}</span>}
      </p>
      {live && <p class="tf-muted">{t('track.live')}</p>}
      {order.items.length > 0 && (
        <ul class="tf-order__items" aria-label={t('track.items')}>
          {order.items.map((item, i) => (
            <li key={`${item.name}-${i}`}>
              <span>{t('track.item', { qty: item.qty, name: item.name })}</span>
              <span class="tf-order__price">{linePrice(item.qty, item.price, lang)}</span>
            </li>
          ))}
        </ul>
      )}
      {order.events.length > 0 && (
        <ol class="tf-timeline" aria-label={t('track.history')}>
          {order.events.map((e, i) => (
            <li key={`${e.status}-${e.at}-${i}`}>
              <time dateTime={e.at}>{when(e.at)}</time> {status(e.status)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
