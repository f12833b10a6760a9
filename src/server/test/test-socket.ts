import type { FastifyInstance } from 'fastify';
import { WebSocket, type ClientOptions } from 'ws';
import { REALTIME_PATH, type ServerFrame } from '../../contracts/realtime.ts';

type Waiter = { match: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

/** The address of an app listening on a real port. */
export function realtimeUrl(app: FastifyInstance): string {
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('app is not listening');
  return `ws://127.0.0.1:${address.port}${REALTIME_PATH}`;
}

/** A test client over a real socket: records every frame, waits for the ones a test expects. */
export class TestSocket {
  readonly frames: ServerFrame[] = [];
  closeCode: number | null = null;
  private waiters: Waiter[] = [];
  private readonly closed: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      this.frames.push(frame);
      for (const w of [...this.waiters]) {
        if (w.match(frame)) {
          clearTimeout(w.timer);
          this.waiters = this.waiters.filter((x) => x !== w);
          w.resolve(frame);
        }
      }
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code) => {
        this.closeCode = code;
        for (const w of this.waiters) {
          clearTimeout(w.timer);
          w.reject(new Error(`socket closed (${code}) while waiting`));
        }
        this.waiters = [];
        resolve(code);
      });
    });
  }

  static open(url: string, options: ClientOptions = {}): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options);
      const socket = new TestSocket(ws);
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { statusCode: res.statusCode })));
      ws.once('error', reject);
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame (already received or to come) that matches; rejects after timeoutMs. */
  waitFor(match: (f: ServerFrame) => boolean, timeoutMs = 20_000, fromIndex = 0): Promise<ServerFrame> {
    const seen = this.frames.slice(fromIndex).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`timed out; frames so far: ${JSON.stringify(this.frames).slice(0, 2000)}`));
      }, timeoutMs);
      this.waiters.push({ match, resolve, reject, timer });
    });
  }

  /** Subscribes and resolves with `subscribed`, or rejects with the error frame's code. */
  async subscribe(channel: string, extra: { token?: string; since?: number | string } = {}): Promise<void> {
    const from = this.frames.length;
    this.send({ type: 'subscribe', channel, ...extra });
    const answer = await this.waitFor(
      (f) => (f.type === 'subscribed' || f.type === 'error') && 'channel' in f && f.channel === channel,
      20_000,
      from,
    );
    if (answer.type === 'error') throw Object.assign(new Error(answer.code), { code: answer.code });
  }

  /** Message seqs received on a channel, in arrival order. */
  seqs(channel: string): number[] {
    return this.frames.flatMap((f) => (f.type === 'message.created' && f.channel === channel ? [f.message.seq] : []));
  }

  /** Resolves once `count` messages arrived on the channel. */
  async waitForMessages(channel: string, count: number, timeoutMs = 20_000): Promise<number[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.seqs(channel).length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${JSON.stringify(this.seqs(channel))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.seqs(channel);
  }

  close(): Promise<number> {
    if (this.ws.readyState === WebSocket.CLOSED) return this.closed;
    this.ws.close();
    return this.closed;
  }

  whenClosed(): Promise<number> {
    return this.closed;
  }
}
