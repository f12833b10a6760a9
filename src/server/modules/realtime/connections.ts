import { WebSocket } from 'ws';
import { REALTIME_CLOSE } from '../../../contracts/realtime.ts';
import { errorBody, toAppError } from '../../http/error-handler.ts';
import type { SessionAgent } from '../agents/index.ts';
import { Connection, bindSocket, type ConnectionHandler, type HubContext, type SocketOwner } from './connection.ts';
import { errorFrame, type FrameText } from './server-frames.ts';

// The idle check runs every idleMs / 2, and at least this often.
const IDLE_CHECK_MAX_MS = 5000;

/**
 * The sockets of one instance: taking them over, writing to them (a slow reader is cut off), pinging
 * them, closing the idle and the revoked ones, and closing them all on shutdown.
 */
export class Connections {
  readonly all = new Set<Connection>();
  /** Frames received from and sent to clients since start (for /metrics). */
  readonly frames = { received: 0, sent: 0 };
  private lastBeat = Date.now();
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: HubContext,
    private readonly options: {
      /** A socket without an agent that subscribes to nothing for this long is closed; 0: never. */
      idleMs: number;
      /** The agent whose live session this Cookie header still carries, or null. */
      recheckAgent?: (cookie: string) => Promise<SessionAgent | null>;
    },
  ) {}

  startTimers(): void {
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.ctx.limits.heartbeatMs);
    this.heartbeatTimer.unref();
    const { idleMs } = this.options;
    if (idleMs > 0) {
      // One timer for every socket (not one each): an idle socket goes within 1.5 × idleMs at most.
      this.idleTimer = setInterval(() => this.closeIdle(), Math.min(idleMs / 2, IDLE_CHECK_MAX_MS));
      this.idleTimer.unref();
    }
  }

  stopTimers(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.idleTimer) clearInterval(this.idleTimer);
  }

  /** Takes over an upgraded socket; its frames and its close go to `handler`. */
  attach(ws: WebSocket, owner: SocketOwner, handler: ConnectionHandler): Connection {
    const { agent, lang, cookie, address } = owner;
    const conn = new Connection(handler, ws, agent, lang, agent ? cookie : undefined, address, this.ctx.limits.subscribeBurst);
    bindSocket(ws, conn);
    this.all.add(conn);
    if (this.ctx.closing) ws.close(REALTIME_CLOSE.goingAway);
    return conn;
  }

  /** Forgets a socket that closed. */
  remove(conn: Connection): void {
    conn.closed = true;
    this.all.delete(conn);
  }

  /** Closes every socket (1001) and waits up to graceMs for each to go, then terminates it. */
  async closeAll(graceMs: number): Promise<void> {
    const open = [...this.all];
    await Promise.all(
      open.map(
        (conn) =>
          new Promise<void>((resolve) => {
            if (conn.ws.readyState === WebSocket.CLOSED) return resolve();
            const timer = setTimeout(() => {
              conn.ws.terminate();
              resolve();
            }, graceMs);
            conn.ws.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            conn.ws.close(REALTIME_CLOSE.goingAway, 'server shutting down');
          }),
      ),
    );
  }

  send(conn: Connection, frame: FrameText): void {
    const ws = conn.ws;
    if (ws.readyState !== WebSocket.OPEN) return;
    // A client that does not read must not make the server buffer without bound: cut it off.
    if (ws.bufferedAmount > this.ctx.limits.maxBufferedBytes) {
      this.ctx.log.info({ buffered: ws.bufferedAmount }, 'realtime: slow consumer cut off');
      ws.terminate();
      return;
    }
    ws.send(frame);
    this.frames.sent++;
  }

  /** Sends an error frame in the contract's shape, in the socket's language. */
  sendError(conn: Connection, err: unknown, channel?: string): void {
    const appError = toAppError(err);
    if (appError.status >= 500) this.ctx.log.error({ err }, 'realtime: frame failed');
    const { error } = errorBody(appError, conn.lang);
    this.send(conn, errorFrame(error, channel));
  }

  /** Whether the agent of this connection still has a live session (true when nothing can tell). */
  async agentStillLive(conn: Connection): Promise<boolean> {
    const { recheckAgent } = this.options;
    if (!conn.agent || conn.cookie === undefined || !recheckAgent) return true;
    const agent = await recheckAgent(conn.cookie);
    return agent?.id === conn.agent.id;
  }

  /** Closes an agent's socket whose session ended: the client must not reconnect with it. */
  revoke(conn: Connection): void {
    conn.ws.close(REALTIME_CLOSE.revoked, 'session revoked');
  }

  /** Closes the sockets of this agent, or (recheck) those whose session ended. */
  revokeAgent(agentId: string, recheck: boolean): void {
    for (const conn of this.all) {
      if (conn.agent?.id !== agentId) continue;
      if (!recheck) this.revoke(conn);
      else
        void this.agentStillLive(conn).then(
          (live) => live || this.revoke(conn),
          (err) => this.ctx.log.warn({ err }, 'realtime: agent session re-check failed'),
        );
    }
  }

  /** Closes the sockets of agents whose session ended (after a listener outage, when a revocation may be lost). */
  async recheckAgents(): Promise<void> {
    for (const conn of [...this.all]) {
      if (conn.closed || !conn.agent) continue;
      try {
        if (!(await this.agentStillLive(conn))) this.revoke(conn);
      } catch (err) {
        this.ctx.log.warn({ err }, 'realtime: agent session re-check failed');
      }
    }
  }

  /** Pings every socket; one that did not answer the previous ping is dropped. */
  private heartbeat(): void {
    // A tick much later than planned means this process was stalled (a long query on the embedded
    // database, a busy machine): its clients had no chance to answer, so nobody is dropped this round.
    const now = Date.now();
    const stalled = now - this.lastBeat > this.ctx.limits.heartbeatMs * 1.5;
    this.lastBeat = now;
    // Decide after this loop turn's I/O, so that pongs which arrived meanwhile are read first.
    setImmediate(() => this.checkAlive(stalled));
  }

  private checkAlive(stalled: boolean): void {
    for (const conn of this.all) {
      if (!conn.alive && !stalled) {
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
  }

  /** Closes the sockets without an agent that have followed nothing for idleMs: they only hold a slot. */
  private closeIdle(): void {
    const before = Date.now() - this.options.idleMs;
    for (const conn of this.all) {
      if (conn.agent || conn.closed || conn.subs.size > 0 || conn.pending > 0 || conn.idleSince > before) continue;
      conn.ws.close(REALTIME_CLOSE.idle, 'idle');
    }
  }
}
