import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'preact/hooks';
import { FRAME, QUEUE_CHANNEL, type ServerFrame } from '../../../../../contracts/realtime.ts';
import { useRealtime } from '../../../../staff/realtime-context.tsx';
import { ticketKeys } from '../api/keys.ts';

const COALESCE_MS = 150;
const HIGHLIGHT_MS = 4000;

function ticketIdOf(frame: ServerFrame): string | null {
  if (frame.type === FRAME.ticketCreated || frame.type === FRAME.ticketUpdated) return frame.ticket.id;
  if (frame.type === FRAME.messageCreated) return frame.message.request_id;
  return null;
}

/**
 * Keeps the queue live: every frame of the `queue` channel refetches the queue pages (a burst of events
 * costs one refetch), and the tickets it names are highlighted for a few seconds.
 * The queue channel has no resume point: what changed while the link was down (or between the first
 * page load and the subscription) is caught up by refetching on every `subscribed`, the first one and
 * the one after each reconnect.
 * `onChange` lets the page refresh what it shows next to the queue (the stat cards).
 */
export function useQueueLive(onChange?: () => void): ReadonlySet<string> {
  const realtime = useRealtime();
  const queryClient = useQueryClient();
  const [highlighted, setHighlighted] = useState<ReadonlySet<string>>(new Set());
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const clearTimers = new Set<ReturnType<typeof setTimeout>>();
    const onFrame = (frame: ServerFrame) => {
      if (frame.type !== FRAME.ticketCreated && frame.type !== FRAME.ticketUpdated && frame.type !== FRAME.messageCreated && frame.type !== FRAME.subscribed) return;
      const id = ticketIdOf(frame);
      if (id) {
        setHighlighted((prev) => new Set(prev).add(id));
        const clear = setTimeout(() => {
          clearTimers.delete(clear);
          setHighlighted((prev) => {
            const next = new Set(prev);
            next.delete(id);
            return next;
          });
        }, HIGHLIGHT_MS);
        clearTimers.add(clear);
      }
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        void queryClient.invalidateQueries({ queryKey: ticketKeys.queues() });
        onChangeRef.current?.();
      }, COALESCE_MS);
    };
    const unsubscribe = realtime.subscribe(QUEUE_CHANNEL, { onFrame });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
      for (const t of clearTimers) clearTimeout(t);
    };
  }, [realtime, queryClient]);

  return highlighted;
}
