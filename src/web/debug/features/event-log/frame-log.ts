import { FRAME } from '../../../../contracts/realtime-constants.ts';

/** A realtime frame the debug page sent or received. */
export type LoggedFrame = { at: number; direction: 'in' | 'out'; frame: Record<string, unknown> };

export type FrameLog = {
  /** The WebSocket to give the realtime client: it reports every frame that crosses it. */
  WebSocketImpl: typeof WebSocket;
  listen: (listener: (entry: LoggedFrame) => void) => () => void;
};

/**
 * The debug page's event log: every frame its realtime client sends (but pings) and receives (but pongs),
 * seen on the socket itself, so that the client the widget ships (src/web/lib/realtime-client.ts)
 * carries no logging.
 */
export function createFrameLog(Base: typeof WebSocket = WebSocket): FrameLog {
  const listeners = new Set<(entry: LoggedFrame) => void>();
  const record = (direction: LoggedFrame['direction'], data: unknown, skipped: string) => {
    let frame: unknown;
    try {
      frame = JSON.parse(String(data));
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object' || (frame as { type?: unknown }).type === skipped) return;
    for (const listener of listeners) listener({ at: Date.now(), direction, frame: frame as Record<string, unknown> });
  };
  class LoggingWebSocket extends Base {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (event) => record('in', event.data, FRAME.pong));
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      super.send(data);
      record('out', data, FRAME.ping);
    }
  }
  return {
    WebSocketImpl: LoggingWebSocket,
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
