/** Addresses one quota remembers; past it, finished windows go first, then the oldest. */
const MAX_ADDRESSES = 50_000;

/**
 * How much one client address may store per window (issue 13: client metrics and error reports grew
 * 8.8 MB a minute from one address, all within the per-IP request limits). Counted in this process's
 * memory: cheap, and with N instances an address may store at most N times the figure (documented in
 * docs/security.md), which the per-IP request limits and the retention job keep bounded anyway.
 */
export class AddressQuota {
  private readonly windows = new Map<string, { used: number; endsAt: number }>();

  constructor(
    private readonly perWindow: number,
    private readonly windowMs: number,
  ) {}

  /** Takes up to `wanted` units for `address` now; returns how many it may use (0 once the quota is spent). */
  take(address: string, wanted: number, now = Date.now()): number {
    let w = this.windows.get(address);
    if (!w || w.endsAt <= now) {
      if (!w && this.windows.size >= MAX_ADDRESSES) this.evict(now);
      w = { used: 0, endsAt: now + this.windowMs };
      this.windows.delete(address);
      this.windows.set(address, w);
    }
    const granted = Math.max(0, Math.min(wanted, this.perWindow - w.used));
    w.used += granted;
    return granted;
  }

  private evict(now: number) {
    for (const [address, w] of this.windows) if (w.endsAt <= now) this.windows.delete(address);
    while (this.windows.size >= MAX_ADDRESSES) this.windows.delete(this.windows.keys().next().value!);
  }
}
