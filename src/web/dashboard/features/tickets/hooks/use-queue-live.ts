import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'preact/hooks';
import { FRAME, QUEUE_CHANNEL } from '../../../../../contracts/realtime.ts';
import { useRealtime } from '../../../lib/realtime-context.tsx';
import { ticketKeys } from '../api/keys.ts';

const COALESCE_MS = 150;
const HIGHLIGHT_MS = 4000;

function ticketIdOf(frame: Record<string, unknown>): string | null {
  const ticket = frame.ticket as { id?: unknown } | undefined;
  if (ticket && typeof ticket.id === 'string') return ticket.id;
  const message = frame.message as { request_id?: unknown } | undefined;
  if (message && typeof message.request_id === 'string') return message.request_id;
  return typeof frame.ticketId === 'string' ? frame.ticketId : null;
}

/**
 * Keeps the queue live: every frame of the `queue` channel refetches the queue pages (a burst of events
 * costs one refetch), and the tickets it names are highlighted for a few seconds.
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
    const unsubscribe = realtime.subscribe(QUEUE_CHANNEL, (frame) => {
      if (frame.type !== FRAME.ticketCreated && frame.type !== FRAME.ticketUpdated && frame.type !== FRAME.messageCreated) return;
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
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
      for (const t of clearTimers) clearTimeout(t);
    };
  }, [realtime, queryClient]);

  return highlighted;
}
