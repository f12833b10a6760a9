import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'preact/hooks';
import { useTranslation } from '../../../../lib/i18n.ts';
import { ErrorNotice } from '../../../components/ErrorNotice.tsx';
import { orderChannel, type LiveClient } from '../../ticket/api/live.ts';
import { orderKey, trackOrder } from '../api/track-order.ts';
import { OrderStatus } from './OrderStatus.tsx';
import { TrackForm, type TrackInput } from './TrackForm.tsx';

/** Without the realtime connection, an order still being delivered is polled this often. */
const POLL_MS = 60_000;
const FINAL = ['delivered', 'cancelled'];

/**
 * The `track` mode: number + e-mail → the order's status. While the order is not final, changes come
 * live on `order:<number>` (with the tracking token the answer gave); any frame there refetches it.
 */
export function TrackPanel({ live }: { live: LiveClient | null }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [input, setInput] = useState<TrackInput | null>(null);
  const key = input ? orderKey(input.number, input.email) : ['order', 'none'];
  const order = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => trackOrder(input!.number, input!.email, signal).then((r) => r.order),
    enabled: !!input,
    staleTime: 10_000,
    refetchInterval: (q) => (q.state.data && !FINAL.includes(q.state.data.status) && !live ? POLL_MS : false),
  });
  const data = order.data;
  const tracking = data && !FINAL.includes(data.status) ? { number: data.number, token: data.trackingToken } : null;

  useEffect(() => {
    if (!live || !tracking) return;
    return live.subscribe({
      channel: orderChannel(tracking.number),
      token: tracking.token,
      onFrame: (frame) => {
        if (frame.type !== 'subscribed' && frame.type !== 'error') void queryClient.invalidateQueries({ queryKey: key });
      },
    });
  }, [live, tracking?.number, tracking?.token]);

  return (
    <section class="tf-track" aria-labelledby="tf-track-title">
      <h2 id="tf-track-title" class="tf-h2">
        {t('track.title')}
      </h2>
      <TrackForm onSubmit={setInput} busy={order.isFetching && !data} initial={input ?? undefined} />
      {order.error && <ErrorNotice error={order.error} />}
      {data && <OrderStatus order={data} live={!!tracking && !!live} />}
    </section>
  );
}
