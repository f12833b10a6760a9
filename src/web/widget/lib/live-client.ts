import { createRealtimeClient, type RealtimeClient, type RealtimeState, type RealtimeSubscription } from '../../lib/realtime-client.ts';
import type { LiveClient, LiveStatus } from '../features/ticket/api/live.ts';

const STATUS: Record<RealtimeState, LiveStatus> = {
  connecting: 'connecting',
  open: 'connected',
  reconnecting: 'reconnecting',
  offline: 'offline',
  // Stopped for good (revoked): nothing live will come, which the customer sees as offline.
  closed: 'offline',
};

/**
 * The widget's view of the shared realtime client (src/web/lib/realtime-client.ts): one WebSocket,
 * subscriptions resumed after every reconnect from the last seq received. The conversation subscribes
 * once its first page is loaded, with `since` = that page's last seq, so the resume point is always known.
 */
export function createLiveClient(options: { url?: string; WebSocketImpl?: typeof WebSocket } = {}): LiveClient {
  const listeners = new Set<(s: LiveStatus) => void>();
  let status: LiveStatus = 'connecting';
  const client: RealtimeClient = createRealtimeClient({
    ...options,
    onStateChange: (state) => {
      status = STATUS[state];
      for (const l of listeners) l(status);
    },
  });
  const subs = new Map<string, RealtimeSubscription>();
  return {
    subscribe({ channel, token, since, onFrame }) {
      const sub = client.subscribe(channel, { token, since: since?.(), onFrame });
      subs.set(channel, sub);
      return () => {
        sub.unsubscribe();
        if (subs.get(channel) === sub) subs.delete(channel);
      };
    },
    typing(channel, typing) {
      subs.get(channel)?.typing(typing);
    },
    status: () => status,
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
