import type { Connection, HubLimits } from './connection.ts';

/** Backlog bytes sent to one client address in the current window. */
type BackfillSpend = { windowStart: number; bytes: number };

/**
 * What one client may cost (REALTIME_LIMITS, docs/realtime.md "Limits and robustness"): client frames per window per
 * socket, a subscribe token bucket per socket, and backlog bytes per window per client address.
 */
export class FrameLimits {
  private readonly backfillSpent = new Map<string, BackfillSpend>();

  constructor(private readonly limits: HubLimits) {}

  /**
   * Counts a client frame: `accept` within the window's allowance, `cut-off` for the first frame past
   * it (the caller says why and closes the socket), `drop` for any later one.
   */
  countFrame(conn: Connection): 'accept' | 'cut-off' | 'drop' {
    const now = Date.now();
    if (now - conn.windowStart > this.limits.frameWindowMs) {
      conn.windowStart = now;
      conn.frames = 0;
    }
    conn.frames += 1;
    if (conn.frames <= this.limits.maxFramesPerWindow) return 'accept';
    return conn.frames === this.limits.maxFramesPerWindow + 1 ? 'cut-off' : 'drop';
  }

  /**
   * The per-socket subscribe bucket: every subscribe may cost a backlog read, so a socket re-subscribing
   * in a loop is refused (rate_limited) once its burst is spent, until tokens come back.
   */
  takeSubscribeToken(conn: Connection): boolean {
    const now = Date.now();
    conn.subscribeTokens = Math.min(this.limits.subscribeBurst, conn.subscribeTokens + (now - conn.subscribeAt) / this.limits.subscribeRefillMs);
    conn.subscribeAt = now;
    if (conn.subscribeTokens < 1) return false;
    conn.subscribeTokens -= 1;
    return true;
  }

  /** Whether this address was sent its share of backlogs for the current window. */
  backfillExhausted(address: string): boolean {
    return this.backfillSpend(address).bytes >= this.limits.backfillBytesPerWindow;
  }

  /** Seconds until this address's backlog window starts again. */
  backfillRetryAfterSeconds(address: string): number {
    const spend = this.backfillSpend(address);
    return Math.ceil((spend.windowStart + this.limits.backfillWindowMs - Date.now()) / 1000);
  }

  /** Whether a lagging subscriber may be sent the next backlog rows now (else the sweep resumes it). */
  mayBackfill(conn: Connection): boolean {
    return conn.ws.bufferedAmount <= this.limits.backfillHighWaterBytes && !this.backfillExhausted(conn.address);
  }

  /** Counts backlog bytes sent to an address. */
  spendBackfill(address: string, bytes: number): void {
    this.backfillSpend(address).bytes += bytes;
  }

  /** Forgets the addresses whose window has ended. */
  pruneBackfill(): void {
    const windowStart = Date.now() - this.limits.backfillWindowMs;
    for (const [address, spend] of this.backfillSpent) if (spend.windowStart <= windowStart) this.backfillSpent.delete(address);
  }

  /** The address's backlog spend in the current window (a new window starts empty). */
  private backfillSpend(address: string): BackfillSpend {
    const now = Date.now();
    let spend = this.backfillSpent.get(address);
    if (!spend || now - spend.windowStart >= this.limits.backfillWindowMs) {
      spend = { windowStart: now, bytes: 0 };
      this.backfillSpent.set(address, spend);
    }
    return spend;
  }
}
