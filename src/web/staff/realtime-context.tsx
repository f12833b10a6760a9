import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect } from 'preact/hooks';
import type { RealtimeClient, RealtimeState } from '../lib/realtime-client.ts';
import { useRealtimeState } from '../lib/use-realtime-state.ts';

const RealtimeContext = createContext<RealtimeClient | null>(null);

/**
 * The staff page's realtime client (src/web/lib/realtime-client.ts) for everything below: the link opens
 * when the provider mounts (the indicator shows it before any subscription) and closes when it unmounts.
 */
export function RealtimeProvider({ client, children }: { client: RealtimeClient; children: ComponentChildren }) {
  useEffect(() => {
    client.connect();
    return () => client.close();
  }, [client]);
  return <RealtimeContext.Provider value={client}>{children}</RealtimeContext.Provider>;
}

export function useRealtime(): RealtimeClient {
  const client = useContext(RealtimeContext);
  if (!client) throw new Error('useRealtime needs a RealtimeProvider');
  return client;
}

export function useConnectionState(): RealtimeState {
  return useRealtimeState(useRealtime());
}
