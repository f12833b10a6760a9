import { useTranslation } from '../../../../lib/i18n.ts';
import type { TrackedOrder } from '../api/track-order.ts';

function time(iso: string | null | undefined, lang: string) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
}

/** An order's status, its expected arrival and its history; `live` says updates arrive by themselves. */
export function OrderStatus({ order, live = false }: { order: TrackedOrder; live?: boolean }) {
  const { t, lang } = useTranslation();
  const status = (s: string) => t(`track.status.${s}`, { defaultValue: s });
  return (
    <section class="tf-order" aria-labelledby="tf-order-title">
      <h2 id="tf-order-title" class="tf-h2">
        {t('track.order', { number: order.number })}
      </h2>
      <p class="tf-order__status" role="status" aria-live="polite">
        <span class={`tf-pill tf-pill--${order.status}`}>{status(order.status)}</span>
        {order.eta && <span> · {t('track.eta', { time: time(order.eta, lang) })}</span>}
      </p>
      {live && <p class="tf-muted">{t('track.live')}</p>}
      {order.events.length > 0 && (
        <ol class="tf-timeline" aria-label={t('track.history')}>
          {order.events.map((e, i) => (
            <li key={`${e.status}-${e.at}-${i}`}>
              <time dateTime={e.at}>{time(e.at, lang)}</time> {status(e.status)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
