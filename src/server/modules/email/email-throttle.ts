import type { Server } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Tells the e-mail worker whether the process is busy serving people right now. */
export type BusySignal = { busy(): boolean };

/**
 * How the in-process worker yields to customers and agents. While `signal.busy()` is true, one lane
 * claims `busyBatchSize` e-mails, delivers them, then waits `busyPauseMs` before it looks again; the
 * other lanes wait. When the signal is quiet, every lane claims full batches back to back.
 * The busy pace is the floor: the drain always progresses, even under constant load.
 */
export type EmailThrottle = {
  signal: BusySignal;
  /** E-mails claimed by one claim while busy (default 1). */
  busyBatchSize?: number;
  /** Pause after each batch while busy, and before a waiting lane looks again (default 20 ms). */
  busyPauseMs?: number;
};

/**
 * Busy while the HTTP server has a request in flight or answered one less than `quietMs` ago (a
 * client reading a conversation sends the next request soon), or while the event loop's recent delay (p90
 * over the last `windowMs`) exceeds `maxLoopDelayMs` — other work (WebSockets, escalation) is
 * struggling too. Cheap: one counter per request and a histogram the runtime fills.
 */
export function serverBusySignal(
  server: Server,
  options: { quietMs?: number; maxLoopDelayMs?: number; windowMs?: number } = {},
): BusySignal & { close(): void } {
  const maxLoopDelayNs = (options.maxLoopDelayMs ?? 20) * 1e6;
  const windowMs = options.windowMs ?? 200;
  const quietMs = options.quietMs ?? 50;
  let inFlight = 0;
  let lastAnswered = 0;
  const onRequest = (_req: unknown, res: { once(event: 'close', fn: () => void): unknown }) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      lastAnswered = Date.now();
    });
  };
  server.on('request', onRequest);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let loopBusy = false;
  let windowStarted = Date.now();
  return {
    busy() {
      const now = Date.now();
      if (now - windowStarted >= windowMs) {
        loopBusy = loop.count > 0 && loop.percentile(90) > maxLoopDelayNs;
        loop.reset();
        windowStarted = now;
      }
      return inFlight > 0 || now - lastAnswered < quietMs || loopBusy;
    },
    close() {
      server.off('request', onRequest);
      loop.disable();
    },
  };
}
