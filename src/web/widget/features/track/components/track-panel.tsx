import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../../../lib/api-client.ts';
import { FRAME, orderChannel } from '../../../../../contracts/realtime-constants.ts';
import { useTranslation } from '../../../../lib/i18n.ts';
import type { RealtimeClient, RealtimeState } from '../../../../lib/realtime-client.ts';
import { ConnectionBadge } from '../../../components/connection-badge.tsx';
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { orderKey, trackOrder, type TrackedOrder } from '../api/track-order.ts';
import { OrderStatus } from './order-status.tsx';
import { TrackForm, type TrackInput } from './track-form.tsx';

/** Without the realtime connection, an order still being delivered is polled this often. */
const POLL_MS = 60_000;
const FINAL = ['delivered', 'cancelled'];
const NOT_FOUND_STATUS = 404;

/**
 * The `track` mode: number + e-mail → the order's status. While the order is not final, changes come
 * live on `order:<number>` (with the tracking token the answer gave); any frame there refetches it. The
 * connection's state is shown only with an order that follows it: before a search it means nothing.
 */
export function TrackPanel({
  realtime,
  connection = 'connecting',
  initialNumber,
}: {
  realtime: RealtimeClient | null;
  connection?: RealtimeState;
  /** The number the customer already gave (the chat thread pre-fills it). */
  initialNumber?: string;
}) {
  const queryClient = useQueryClient();
  const [input, setInput] = useState<TrackInput | null>(null);
  const key = input ? orderKey(input.number, input.email) : ['order', 'none'];
  const order = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => trackOrder(input!.number, input!.email, signal).then((r) => r.order),
    enabled: !!input,
    staleTime: 10_000,
    refetchInterval: (q) => (q.state.data && !FINAL.includes(q.state.data.status) && !realtime ? POLL_MS : false),
  });
  const data = order.data;
  const tracking = data && !FINAL.includes(data.status) ? { number: data.number, token: data.trackingToken } : null;

  useEffect(() => {
    if (!realtime || !tracking) return;
    return realtime.subscribe(orderChannel(tracking.number), {
      token: tracking.token,
      onFrame: (frame) => {
        if (frame.type !== FRAME.subscribed && frame.type !== FRAME.error) void queryClient.invalidateQueries({ queryKey: key });
      },
    });
  }, [realtime, tracking?.number, tracking?.token]);

  return (
    <TrackView
      onSubmit={setInput}
      busy={order.isFetching && !data}
      initial={input ?? (initialNumber ? { number: initialNumber, email: '' } : undefined)}
      error={order.error}
      order={data}
      follows={!!tracking && !!realtime}
      connection={connection}
    />
  );
}

/**
 * What the track mode shows. `follows`: the order is not final and the realtime connection carries its
 * changes, so the connection's state and "updates by itself" are shown (and only then: before a search,
 * "Connecting…" means nothing to the customer).
 */
export function TrackView({
  onSubmit,
  busy,
  initial,
  error,
  order,
  follows,
  connection,
  now,
}: {
  onSubmit: (input: TrackInput) => void;
  busy: boolean;
  initial?: TrackInput;
  error: unknown;
  order: TrackedOrder | undefined;
  follows: boolean;
  connection: RealtimeState;
  now?: Date;
}) {
  const { t } = useTranslation();
  // The same 404 for an unknown number and a wrong e-mail: say so, not "does not exist or was deleted".
  const noMatch = error instanceof ApiError && error.status === NOT_FOUND_STATUS;
  return (
    <section class="tf-track" aria-labelledby="tf-track-title">
      <h2 id="tf-track-title" class="tf-h2">
        {t('track.title')}
      </h2>
      <TrackForm onSubmit={onSubmit} busy={busy} initial={initial} />
      {noMatch ? (
        <div class="tf-error" role="alert">
          <p>{t('track.no_match')}</p>
        </div>
      ) : (
        error && <ErrorNotice error={error} />
      )}
      {order && follows && connection !== 'offline' && (
        <p class="tf-order__conn">
          <ConnectionBadge state={connection} />
        </p>
      )}
      {order && <OrderStatus order={order} live={follows} now={now} />}
    </section>
  );
}
