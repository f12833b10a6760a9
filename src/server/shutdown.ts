import type { Logger } from 'pino';

/**
 * Stops the process gracefully on SIGTERM/SIGINT: runs `steps` in order once, exits 0, or 1 when a
 * step fails or everything takes longer than 15 s. Shared by the server and `npm run worker`.
 */
export function stopOnSignals(logger: Logger, what: string, steps: () => Promise<void>): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${what} stopping`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await steps();
      process.exit(0);
    } catch (err) {
      logger.error({ err }, `${what} shutdown failed`);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
