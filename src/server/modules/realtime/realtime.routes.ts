import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { WebSocketServer } from 'ws';
import { REALTIME_LIMITS, REALTIME_PATH } from '../../../contracts/realtime.ts';
import type { Db } from '../../db/index.ts';
import { AppError } from '../../http/app-error.ts';
import { isOwnOrigin } from '../../http/own-origin.ts';
import { errorBody, toAppError } from '../../http/error-handler.ts';
import { langFromAcceptLanguage } from '../../i18n.ts';
import { resolveSessionAgent, type SessionAgent } from '../agents/index.ts';
import { ConnectionLimits, clientAddressResolver } from './connection-limits.ts';
import { RealtimeHub, type HubLimits } from './realtime.hub.ts';
import { seedAutoAssign } from './team-settings.repo.ts';
import { teamSettingsRoutes } from './team-settings.routes.ts';
import { teamRoutes } from './team.routes.ts';

export type RealtimeOptions = {
  /** Who the session cookie belongs to; resolveSessionAgent unless a test substitutes its own. */
  resolveAgent?: (db: Db, cookieHeader: string | undefined) => Promise<SessionAgent | null>;
  limits?: Partial<HubLimits>;
  presenceHeartbeatMs?: number;
  presenceTtlSeconds?: number;
  sweepMs?: number;
};

declare module 'fastify' {
  interface FastifyInstance {
    realtimeHub: RealtimeHub;
    /** Open WebSockets per client address and in total (WS_MAX_CONNECTIONS_PER_IP, WS_MAX_CONNECTIONS). */
    realtimeConnections: ConnectionLimits;
  }
}

/**
 * `GET /api/realtime`: the WebSocket endpoint. The upgrade is handled on the HTTP server directly (with
 * `ws` in noServer mode) so that a refused handshake is a plain HTTP answer sent before any upgrade, and
 * an open socket keeps no Fastify request alive (memory per connection stays close to bare `ws`).
 */
export const realtimeRoutes: FastifyPluginAsync<RealtimeOptions> = async (app, options) => {
  const resolveAgent = options.resolveAgent ?? resolveSessionAgent;
  const hub = new RealtimeHub({
    db: app.db,
    log: app.log,
    limits: options.limits,
    idleMs: app.config.wsIdleSeconds * 1000,
    presenceHeartbeatMs: options.presenceHeartbeatMs,
    presenceTtlSeconds: options.presenceTtlSeconds,
    sweepMs: options.sweepMs,
    recheckAgent: (cookie) => resolveAgent(app.db, cookie),
  });
  await hub.start();
  app.decorate('realtimeHub', hub);
  // The team's availability and alerts ride on the hub's presence. Round-robin is an admin's setting:
  // AUTO_ASSIGN is written only on a database that has no value yet (docs/agents.md "Round-robin").
  const autoAssign = await seedAutoAssign(app.db, app.config.autoAssign);
  if (autoAssign && autoAssign !== app.config.autoAssign) {
    app.log.info({ autoAssign, env: app.config.autoAssign }, 'AUTO_ASSIGN left aside: the team setting an admin chose applies');
  }
  await app.register(teamRoutes);
  await app.register(teamSettingsRoutes);

  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: options.limits?.maxFrameBytes ?? REALTIME_LIMITS.maxFrameBytes,
  });
  const allowedOrigins = new Set(app.config.allowedOrigins);
  const clientAddress = clientAddressResolver(app.config.trustProxy);
  const connectionLimits = new ConnectionLimits(app.config.wsMaxConnectionsPerIp, app.config.wsMaxConnections);
  app.decorate('realtimeConnections', connectionLimits);
  // One listener for every socket (no closure each: an instance holds tens of thousands).
  function releaseSlot(this: SocketWithSlot) {
    connectionLimits.release(this[kSlotAddress]!);
  }

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', destroySocket);
    const lang = langFromAcceptLanguage(request.headers['accept-language']);
    const path = (request.url ?? '').split('?')[0];
    if (path !== REALTIME_PATH) return refuseUpgrade(socket, new AppError('not_found'), lang);
    const origin = request.headers.origin;
    // Browsers always send Origin: a page of a site we do not serve may not open a socket. Clients
    // without Origin (servers, scripts) have no ambient credentials to abuse. Our own pages pass under
    // any name the server answers to (127.0.0.1 as well as localhost).
    const ownOrigin = origin === undefined || isOwnOrigin(origin, request.headers.host, app.config.publicUrl);
    if (!ownOrigin && !allowedOrigins.has(origin!)) {
      return refuseUpgrade(socket, new AppError('forbidden', { reason: 'realtime_origin_refused' }), lang);
    }
    if (hub.isClosing) return refuseUpgrade(socket, new AppError('unavailable'), lang);
    // The caps come before anything that costs (the session lookup, the upgrade): a refusal is a few
    // bytes written. The slot is released when the TCP socket closes, whatever happens in between.
    const address = clientAddress(request);
    const refused = connectionLimits.acquire(address);
    if (refused) return refuseUpgrade(socket, refused, lang);
    (socket as SocketWithSlot)[kSlotAddress] = address;
    socket.on('close', releaseSlot);
    // ALLOWED_ORIGINS may embed the widget, never act as an agent: a page there shares the agent's
    // cookie (same site), so its sockets are anonymous and may follow only what a token opens.
    const cookie = ownOrigin ? request.headers.cookie : undefined;
    (cookie ? resolveAgent(app.db, cookie) : Promise.resolve(null)).then(
      (agent) => {
        if (socket.destroyed) return;
        socket.removeListener('error', destroySocket);
        wss.handleUpgrade(request, socket, head, (ws) => hub.attach(ws, { agent, lang, cookie, address }));
      },
      (err: unknown) => {
        app.log.warn({ err }, 'realtime: session lookup failed');
        refuseUpgrade(socket, toAppError(err), lang);
      },
    );
  };
  app.server.on('upgrade', onUpgrade);

  // A plain GET (no Upgrade header) reaches the router: say what this address is for.
  app.get(REALTIME_PATH, async () => {
    throw new AppError('invalid_request', { reason: 'websocket_required' });
  });

  // Sockets first (the HTTP server cannot finish closing while they are open), then the LISTEN.
  app.addHook('preClose', async () => {
    app.server.removeListener('upgrade', onUpgrade);
    await hub.closeSockets();
  });
  app.addHook('onClose', async () => {
    await hub.stop();
    wss.close();
  });
};

// Not encapsulated (what fastify-plugin does): `realtimeHub` is visible to the whole app (health, debug).
(realtimeRoutes as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

const kSlotAddress = Symbol('realtime-slot-address');
type SocketWithSlot = Duplex & { [kSlotAddress]?: string };

function destroySocket(this: Duplex) {
  this.destroy();
}

/** Answers a handshake with an HTTP error in the contract's shape, and closes the socket. */
function refuseUpgrade(socket: Duplex, err: AppError, lang: ReturnType<typeof langFromAcceptLanguage>) {
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify(errorBody(err, lang));
  const retryAfter = err.retryAfterSeconds === undefined ? '' : `Retry-After: ${Math.ceil(err.retryAfterSeconds)}\r\n`;
  socket.end(
    `HTTP/1.1 ${err.status} ${STATUS_TEXT[err.status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      retryAfter +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
