import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import type { Config } from '../../config.ts';
import { AppError } from '../../http/app-error.ts';

/** What a refused client is told to wait before trying again (a socket is released when one closes). */
export const CONNECTION_RETRY_AFTER_SECONDS = 10;

/**
 * The client address of a raw request exactly as Fastify's `request.ip` gives it under the same
 * TRUST_PROXY (app.ts): X-Forwarded-For is believed only when it came through trusted proxies. The
 * upgrade runs on the bare HTTP server, before any Fastify request exists, hence the same library here.
 */
export function clientAddressResolver(trustProxy: Config['trustProxy']): (request: IncomingMessage) => string {
  if (trustProxy === false) return (request) => request.socket.remoteAddress ?? '';
  const trust =
    trustProxy === true
      ? () => true
      : typeof trustProxy === 'number'
        ? (_address: string, hop: number) => hop < trustProxy
        : proxyAddr.compile(trustProxy);
  return (request) => proxyAddr(request, trust);
}

/**
 * Open WebSockets per client address and in total. Counted in memory by each instance: a slot is taken
 * before the upgrade (before any database work) and given back when the TCP socket closes, whatever
 * happened in between (refused, upgraded, dropped).
 */
export class ConnectionLimits {
  private readonly perAddress = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly maxPerAddress: number,
    private readonly maxTotal: number,
  ) {}

  /** Takes a slot for this address, or the error that refuses it (429 for the address, 503 when full). */
  acquire(address: string): AppError | null {
    if (this.total >= this.maxTotal) {
      return new AppError('unavailable', { reason: 'realtime_server_full', retryAfterSeconds: CONNECTION_RETRY_AFTER_SECONDS });
    }
    const held = this.perAddress.get(address) ?? 0;
    if (held >= this.maxPerAddress) {
      return new AppError('rate_limited', { reason: 'realtime_too_many_connections', retryAfterSeconds: CONNECTION_RETRY_AFTER_SECONDS });
    }
    this.perAddress.set(address, held + 1);
    this.total += 1;
    return null;
  }

  release(address: string): void {
    const held = this.perAddress.get(address) ?? 0;
    if (held <= 1) this.perAddress.delete(address);
    else this.perAddress.set(address, held - 1);
    this.total -= 1;
  }

  /** Sockets open (or being opened) from this address, and in total: for tests and metrics. */
  count(address?: string): number {
    return address === undefined ? this.total : (this.perAddress.get(address) ?? 0);
  }
}
