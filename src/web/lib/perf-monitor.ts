/**
 * The seed's performance monitor (§4): `startMeasure(name)` returns the function that stops it,
 * `recordMetric(name, value, metadata?)` records one value, `getSummary(name?)` gives count, avg, min,
 * max and p95 of what this page recorded. Metrics are sent to `POST /api/metrics` in batches (at most
 * 50, every 10 s, and when the page is hidden) with `navigator.sendBeacon`, which survives the page
 * closing; `fetch(keepalive)` where there is no beacon. `trackWebVitals()` adds CLS, INP, FCP, LCP and
 * TTFB (FID no longer exists) from the `web-vitals` package (imported statically: a dynamic import
 * would add Vite's preload helper, which weighs half as much as web-vitals itself).
 */
import { onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals';

export type PerformanceMetric = {
  name: string;
  value: number;
  timestamp: number;
  metadata?: Record<string, unknown>;
};

export type MetricSummary = { count: number; avg: number; min: number; max: number; p95: number };

/** Bounds shared with the server (`POST /api/metrics`). */
export const METRICS_ENDPOINT = '/api/metrics';
export const METRICS_BATCH_MAX = 50;
export const METRIC_NAME_MAX = 64;

type Sender = (url: string, metrics: PerformanceMetric[]) => void;

function defaultSender(url: string, metrics: PerformanceMetric[]) {
  const body = JSON.stringify({ metrics });
  const blob = new Blob([body], { type: 'application/json' });
  if (typeof navigator !== 'undefined' && typeof navigator.sendBeacon === 'function' && navigator.sendBeacon(url, blob)) return;
  if (typeof fetch === 'function')
    void fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' }, keepalive: true }).catch(() => undefined);
}

/** Nearest-rank percentile, as the seed: the value at ceil(n·p) in sorted order. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * p) - 1)]!;
}

export class ChatPerformanceMonitor {
  private readonly metrics: PerformanceMetric[] = [];
  private pending: PerformanceMetric[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private url = METRICS_ENDPOINT;
  private sender: Sender = defaultSender;
  private enabled = true;
  /** Kept for getSummary; older ones are dropped so a long session does not grow without bound. */
  private readonly keep = 1000;

  constructor(private readonly flushIntervalMs = 10_000) {}

  /** Where and how to send (tests, another origin); `enabled: false` only records. */
  configure(options: { url?: string; sender?: Sender; enabled?: boolean }): void {
    if (options.url) this.url = options.url;
    if (options.sender) this.sender = options.sender;
    if (options.enabled !== undefined) this.enabled = options.enabled;
  }

  startMeasure(name: string, metadata?: Record<string, unknown>): () => number {
    const start = performance.now();
    return () => {
      const duration = performance.now() - start;
      this.recordMetric(name, duration, metadata);
      return duration;
    };
  }

  recordMetric(name: string, value: number, metadata?: Record<string, unknown>): void {
    if (!Number.isFinite(value) || !name) return;
    const metric: PerformanceMetric = { name: name.slice(0, METRIC_NAME_MAX), value, timestamp: Date.now(), ...(metadata ? { metadata } : {}) };
    this.metrics.push(metric);
    if (this.metrics.length > this.keep) this.metrics.splice(0, this.metrics.length - this.keep);
    if (!this.enabled) return;
    this.pending.push(metric);
    if (this.pending.length >= METRICS_BATCH_MAX) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.flushIntervalMs);
  }

  /** Sends what is pending now, in batches of at most 50. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.pending.length) this.sender(this.url, this.pending.splice(0, METRICS_BATCH_MAX));
  }

  getSummary(): Record<string, MetricSummary>;
  getSummary(metricName: string): MetricSummary | null;
  getSummary(metricName?: string): Record<string, MetricSummary> | MetricSummary | null {
    if (metricName !== undefined) return summarize(this.metrics.filter((m) => m.name === metricName).map((m) => m.value));
    const byName = new Map<string, number[]>();
    for (const m of this.metrics) byName.set(m.name, [...(byName.get(m.name) ?? []), m.value]);
    return Object.fromEntries([...byName].map(([name, values]) => [name, summarize(values)!]));
  }

  /** Sends pending metrics when the page is hidden (the last moment that is reliable on mobile). */
  flushOnHide(): void {
    if (typeof document === 'undefined') return;
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.flush();
    });
    addEventListener('pagehide', () => this.flush());
  }
}

function summarize(values: number[]): MetricSummary | null {
  if (values.length === 0) return null;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { count: values.length, avg: sum / values.length, min, max, p95: percentile(values, 0.95) };
}

export const perfMonitor = new ChatPerformanceMonitor();

/** Seed §4 Web Vitals, recorded as `web_vitals_<name>` with the rating and the page as metadata. */
export function trackWebVitals(monitor: ChatPerformanceMonitor = perfMonitor): void {
  const page = typeof location === 'undefined' ? '' : location.pathname;
  const record = (m: { name: string; value: number; rating: string }) =>
    monitor.recordMetric(`web_vitals_${m.name.toLowerCase()}`, m.value, { rating: m.rating, page });
  onCLS(record);
  onINP(record);
  onFCP(record);
  onLCP(record);
  onTTFB(record);
}
