import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { ConnectionState, RealtimeConnection } from './realtime.ts';

const RealtimeContext = createContext<RealtimeConnection | null>(null);

export function RealtimeProvider({ connection, children }: { connection: RealtimeConnection; children: ComponentChildren }) {
  useEffect(() => {
    connection.start();
    return () => connection.stop();
  }, [connection]);
  return <RealtimeContext.Provider value={connection}>{children}</RealtimeContext.Provider>;
}

export function useRealtime(): RealtimeConnection {
  const connection = useContext(RealtimeContext);
  if (!connection) throw new Error('useRealtime needs a RealtimeProvider');
  return connection;
}

export function useConnectionState(): ConnectionState {
  const connection = useRealtime();
  const [state, setState] = useState(connection.state);
  useEffect(() => connection.onState(setState), [connection]);
  return state;
}
