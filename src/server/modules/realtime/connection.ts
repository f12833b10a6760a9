import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { Lang } from '../../../contracts/common.ts';
import type { REALTIME_LIMITS } from '../../../contracts/realtime.ts';
import type { Db } from '../../db/index.ts';
import type { SessionAgent } from '../agents/index.ts';
import type { SubscriptionGrant } from './realtime.service.ts';

export type HubLimits = { -readonly [K in keyof typeof REALTIME_LIMITS]: number };

/** What every part of one instance's hub shares: the database, the logger, the limits, the shutdown flag. */
export type HubContext = {
  readonly db: Db;
  readonly log: FastifyBaseLogger;
  readonly limits: HubLimits;
  /** This instance's id in presence rows and listener probes. */
  readonly instanceId: string;
  /** Set once shutdown began: no new subscription, no presence write. */
  closing: boolean;
};

/** Who a socket belongs to, as the upgrade learnt it. */
export type SocketOwner = {
  agent: SessionAgent | null;
  lang: Lang;
  /** The handshake's Cookie header (kept for agents only: their session is checked again later). */
  cookie?: string;
  /** The client address (TRUST_PROXY applied): the key of the per-address backfill budget. */
  address: string;
};

export type Subscription = {
  grant: SubscriptionGrant;
  /** A customer's ticket token, kept to check it again when the ticket's tokens change. */
  token?: string;
  /** The highest message seq sent on this channel; null until the backlog (or the start point) is known. */
  lastSeq: number | null;
  typing: boolean;
  typingAt: number;
};

/** A subscriber of a channel: the socket and its subscription there. */
export type Target = { conn: Connection; sub: Subscription };

/** Where a socket's frames and close go (the hub). */
export type ConnectionHandler = {
  handleFrame(conn: Connection, data: RawData, isBinary: boolean): void;
  handleClose(conn: Connection): void;
};

/** One client socket and what it listens to. Kept small: an instance holds tens of thousands. */
export class Connection {
  readonly subs = new Map<string, Subscription>();
  pending = 0;
  alive = true;
  closed = false;
  /** An agent's tab reported its person idle (`activity` frame): the agent shows away once all are. */
  idle = false;
  frames = 0;
  windowStart = Date.now();
  /** Since when this socket has had no subscription (what the idle close of anonymous sockets looks at). */
  idleSince = Date.now();
  /** The subscribe token bucket: tokens left at `subscribeAt`. */
  subscribeTokens: number;
  subscribeAt = Date.now();
  constructor(
    readonly handler: ConnectionHandler,
    readonly ws: WebSocket,
    readonly agent: SessionAgent | null,
    readonly lang: Lang,
    /** The handshake's Cookie header, kept for agents only: their session is checked again later. */
    readonly cookie: string | undefined,
    readonly address: string,
    subscribeBurst: number,
  ) {
    this.subscribeTokens = subscribeBurst;
  }
}

const kConn = Symbol('realtime-connection');
type SocketWithConn = WebSocket & { [kConn]?: Connection };

/** Routes the socket's events to its connection's handler. */
export function bindSocket(ws: WebSocket, conn: Connection): void {
  (ws as SocketWithConn)[kConn] = conn;
  ws.on('message', onSocketMessage);
  ws.on('pong', onSocketPong);
  ws.on('close', onSocketClose);
  ws.on('error', onSocketError);
}

// Shared listeners (`this` is the socket): no closure per connection.
function onSocketMessage(this: SocketWithConn, data: RawData, isBinary: boolean) {
  const conn = this[kConn];
  if (conn) conn.handler.handleFrame(conn, data, isBinary);
}
function onSocketPong(this: SocketWithConn) {
  const conn = this[kConn];
  if (conn) conn.alive = true;
}
function onSocketClose(this: SocketWithConn) {
  const conn = this[kConn];
  conn?.handler.handleClose(conn);
}
function onSocketError(this: SocketWithConn) {
  // 'close' follows; an error on one socket is that client's problem, not the server's.
  this.terminate();
}
