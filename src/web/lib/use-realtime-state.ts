import { useEffect, useState } from 'preact/hooks';
import type { RealtimeClient, RealtimeState } from './realtime-client.ts';

/** The link's state, re-rendering on every change (`closed` without a client). */
export function useRealtimeState(client: RealtimeClient | null): RealtimeState {
  const [state, setState] = useState<RealtimeState>(client?.state ?? 'closed');
  useEffect(() => {
    if (!client) return;
    setState(client.state);
    return client.onState(setState);
  }, [client]);
  return state;
}
