import type { FastifyBaseLogger } from 'fastify';
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';

/** ioredis loads with REDIS_URL only (a RedisCircuit), not at every start (bench/startup.bench.ts). */
const loadPackage = createRequire(import.meta.url);

/** What the per-IP limits are counted in right now: Redis (shared by every instance) or this process. */
export type RateLimitBackend = 'redis' | 'memory';

/** A Redis that does not connect within this long is down: the limits fall back to memory meanwhile. */
export const REDIS_CONNECT_TIMEOUT_MS = 300;
/** A command unanswered this long (a frozen link: connected, silent) opens the circuit. */
export const REDIS_COMMAND_TIMEOUT_MS = 300;
/** While the circuit is open, Redis is pinged this often in the background; requests never wait for it. */
export const REDIS_PROBE_INTERVAL_MS = 1000;
/** ioredis reconnects by itself, waiting this much longer after each failed try, up to the maximum. */
const RECONNECT_STEP_MS = 200;
const RECONNECT_MAX_MS = 2000;
/** Keys kept by the in-memory fallback; past it, expired windows go first, then the oldest. */
const MEMORY_MAX_KEYS = 50_000;
/** The key prefix in Redis (kept from @fastify/rate-limit's `nameSpace`, which operators may watch). */
export const REDIS_KEY_PREFIX = 'tf-rate-limit-';

// One round trip: count, start the window on the first hit, and say how long it has left.
const INCR_SCRIPT = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end
return {current, ttl}`;

type Hit = { current: number; ttl: number };
type Callback = (err: Error | null, result?: Hit) => void;

/** Fixed windows in this process's memory: the limits when there is no Redis, or while it is unreachable. */
export class MemoryWindows {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  hit(key: string, windowMs: number, now = Date.now()): Hit {
    let w = this.windows.get(key);
    if (!w || w.endsAt <= now) {
      if (!w && this.windows.size >= MEMORY_MAX_KEYS) this.evict(now);
      w = { count: 0, endsAt: now + windowMs };
      this.windows.delete(key);
      this.windows.set(key, w);
    }
    w.count += 1;
    return { current: w.count, ttl: w.endsAt - now };
  }

  private evict(now: number) {
    for (const [key, w] of this.windows) if (w.endsAt <= now) this.windows.delete(key);
    // Still full of live windows: drop the oldest (Map keeps insertion order).
    while (this.windows.size >= MEMORY_MAX_KEYS) this.windows.delete(this.windows.keys().next().value!);
  }
}

/**
 * The circuit in front of Redis (issue 13: with Redis down, every request waited ~10 s for ioredis and
 * the limits were skipped). Closed only once Redis has answered; any failure of a command (refused,
 * disconnected, or no answer within REDIS_COMMAND_TIMEOUT_MS) opens it, and while it is open the limiter
 * does not call Redis at all: it counts in memory. A background ping every REDIS_PROBE_INTERVAL_MS
 * (and ioredis's own reconnection) closes it again. Each change is logged once, not per request.
 */
export class RedisCircuit {
  readonly redis: Redis;
  /** Commands the limiter sent to Redis (what a test checks stays still while the circuit is open). */
  redisCalls = 0;
  /** Settles after the first connection attempt, answered or not (awaited once at start-up). */
  readonly firstAttempt: Promise<void>;
  private open = true;
  private announcedDown = false;
  private everClosed = false;
  private probe: NodeJS.Timeout | null = null;
  private probing = false;
  private stopped = false;

  constructor(
    url: string,
    private readonly logger: Pick<FastifyBaseLogger, 'warn' | 'info'>,
  ) {
    const { Redis: RedisClient } = loadPackage('ioredis') as typeof import('ioredis');
    this.redis = new RedisClient(url, {
      connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      // Never queue a command for later: a request must not wait for Redis to come back.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times) => Math.min(times * RECONNECT_STEP_MS, RECONNECT_MAX_MS),
    });
    this.firstAttempt = new Promise<void>((resolve) => {
      // A link that connects but never answers (no 'ready', no 'error') does not hold the start either.
      setTimeout(resolve, REDIS_CONNECT_TIMEOUT_MS + REDIS_COMMAND_TIMEOUT_MS).unref();
      this.redis.once('ready', resolve);
      this.redis.once('error', () => resolve());
      this.redis.once('close', resolve);
    });
    // ioredis reports every failed reconnection: the circuit logs the outage once instead.
    this.redis.on('error', (err: Error) => this.toOpen(err.message));
    this.redis.on('close', () => this.toOpen('connection closed'));
    this.redis.on('ready', () => this.toClosed());
  }

  get backend(): RateLimitBackend {
    return this.open ? 'memory' : 'redis';
  }

  /** Counts a hit in Redis; on any failure the circuit opens and the caller counts it in memory (null). */
  async hit(key: string, windowMs: number): Promise<Hit | null> {
    if (this.open) return null;
    this.redisCalls += 1;
    try {
      const [current, ttl] = (await this.redis.eval(INCR_SCRIPT, 1, REDIS_KEY_PREFIX + key, windowMs)) as [number, number];
      return { current, ttl };
    } catch (err) {
      this.toOpen(err instanceof Error ? err.message : String(err));
      return null;
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.stopProbe();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private toOpen(reason: string) {
    if (this.stopped) return;
    this.open = true;
    this.startProbe();
    if (this.announcedDown) return;
    this.announcedDown = true;
    this.logger.warn({ reason }, 'Redis unreachable: per-IP limits are counted in this process until it answers again');
  }

  private toClosed() {
    if (!this.open || this.stopped) return;
    this.open = false;
    this.stopProbe();
    if (this.announcedDown || this.everClosed) this.logger.info('Redis answers again: per-IP limits are shared through it');
    this.announcedDown = false;
    this.everClosed = true;
  }

  private startProbe() {
    if (this.probe || this.stopped) return;
    this.probe = setInterval(() => void this.ping(), REDIS_PROBE_INTERVAL_MS);
    this.probe.unref();
  }

  private stopProbe() {
    if (this.probe) clearInterval(this.probe);
    this.probe = null;
  }

  /** While open: a connection that is up but was silent (frozen) is trusted again once a PING answers. */
  private async ping() {
    if (this.probing || this.redis.status !== 'ready') return;
    this.probing = true;
    try {
      await this.redis.ping();
      this.toClosed();
    } catch {
      // still unreachable: the next tick tries again
    } finally {
      this.probing = false;
    }
  }
}

/**
 * A store for @fastify/rate-limit (its `store` option): Redis while the circuit is closed, this
 * process's memory otherwise. Never fails, so the limits are never skipped.
 */
export function failoverStore(circuit: RedisCircuit | null) {
  const memory = new MemoryWindows();
  return class FailoverStore {
    constructor(
      _options?: unknown,
      private readonly prefix = '',
    ) {}

    incr(key: string, callback: Callback, windowMs: number) {
      const full = this.prefix + key;
      if (!circuit) return callback(null, memory.hit(full, windowMs));
      void circuit.hit(full, windowMs).then((hit) => callback(null, hit ?? memory.hit(full, windowMs)));
    }

    // A route's own limits (config.rateLimit) count apart; the plugin passes the route as `routeInfo`.
    child(options: object) {
      const route = (options as { routeInfo?: { method?: unknown; url?: string } }).routeInfo ?? {};
      return new FailoverStore(undefined, `${this.prefix}${String(route.method ?? '')}${route.url ?? ''}-`);
    }
  };
}
