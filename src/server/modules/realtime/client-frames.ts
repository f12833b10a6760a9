import type { RawData } from 'ws';
import {
  FRAME,
  REALTIME_CLOSE,
  clientFrameSchema,
  orderChannel,
  orderNumberOfChannel,
  ticketChannel,
  ticketIdOfChannel,
} from '../../../contracts/realtime.ts';
import { AppError } from '../../http/app-error.ts';
import type { Connection } from './connection.ts';
import type { Connections } from './connections.ts';
import type { FrameLimits } from './frame-limits.ts';
import type { Presence } from './presence.ts';
import { pongFrame } from './server-frames.ts';
import type { Subscriptions } from './subscriptions.ts';

/**
 * Reads one client frame: counted against the socket's frame allowance, parsed against the contract
 * (strict: an unknown field is an error frame, the socket stays open), then handed to its handler.
 */
export class ClientFrames {
  constructor(
    private readonly connections: Connections,
    private readonly frameLimits: FrameLimits,
    private readonly subscriptions: Subscriptions,
    private readonly presence: Presence,
  ) {}

  handle(conn: Connection, data: RawData, isBinary: boolean): void {
    const { connections, frameLimits, subscriptions } = this;
    conn.alive = true;
    const counted = frameLimits.countFrame(conn);
    if (counted !== 'accept') {
      if (counted === 'cut-off') {
        connections.sendError(conn, new AppError('rate_limited', { reason: 'realtime_rate_limited' }));
        conn.ws.close(REALTIME_CLOSE.rateLimited, 'too many frames');
      }
      return;
    }
    if (isBinary) return connections.sendError(conn, new AppError('invalid_request', { reason: 'realtime_invalid_frame' }));
    let json: unknown;
    try {
      json = JSON.parse(rawToString(data));
    } catch {
      return connections.sendError(conn, new AppError('invalid_request', { reason: 'realtime_invalid_frame' }));
    }
    const parsed = clientFrameSchema.safeParse(json);
    if (!parsed.success) {
      const channel = typeof (json as { channel?: unknown })?.channel === 'string' ? (json as { channel: string }).channel : undefined;
      return connections.sendError(
        conn,
        new AppError('invalid_request', {
          reason: 'realtime_invalid_frame',
          details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        }),
        channel?.slice(0, 64),
      );
    }
    const frame = parsed.data;
    if ('channel' in frame) frame.channel = canonicalChannel(frame.channel);
    switch (frame.type) {
      case FRAME.subscribe:
        if (!frameLimits.takeSubscribeToken(conn)) {
          return connections.sendError(conn, new AppError('rate_limited', { reason: 'realtime_subscribe_rate_limited' }), frame.channel);
        }
        void subscriptions.subscribe(conn, frame).catch((err) => connections.sendError(conn, err, frame.channel));
        return;
      case FRAME.unsubscribe:
        subscriptions.unsubscribe(conn, frame.channel, true);
        return;
      case FRAME.typing:
        subscriptions.typing(conn, frame.channel, frame.typing);
        return;
      case FRAME.ping:
        connections.send(conn, pongFrame());
        return;
      case FRAME.activity:
        if (!conn.agent) return connections.sendError(conn, new AppError('unauthorized', { reason: 'realtime_agents_only' }));
        this.presence.setIdle(conn, frame.idle);
        return;
    }
  }
}

/** `ticket:<id>` with the id lower-cased, as events name it; other names unchanged. */
function canonicalChannel(channel: string): string {
  const ticketId = ticketIdOfChannel(channel);
  if (ticketId) return ticketChannel(ticketId);
  const orderNumber = orderNumberOfChannel(channel);
  return orderNumber ? orderChannel(orderNumber) : channel;
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
