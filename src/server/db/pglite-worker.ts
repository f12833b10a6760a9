import { Worker } from 'node:worker_threads';
import { collectAfterCommit, runAfterCommit, type AfterCommitHook } from './after-commit.ts';
import { deserializeError, type ThreadReply, type ThreadRequest } from './pglite-protocol.ts';
import type { Db, DbFolder, NotificationHandler, Queryable, QueryResult } from './types.ts';

/** Defined (true) by the server's build (scripts/build.mjs), absent when running from the sources. */
declare const TF_BUNDLED: boolean | undefined;

/**
 * The thread's module: compiled beside the server bundle (dist/server), or, when the server runs from its
 * sources, a small module that registers tsx in the thread before importing pglite-thread.ts.
 */
function threadModule(): URL {
  return typeof TF_BUNDLED !== 'undefined' && TF_BUNDLED
    ? new URL('../../../dist/server/pglite-thread.cjs', import.meta.url)
    : new URL('./pglite-thread.dev.mjs', import.meta.url);
}

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void };
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/**
 * The embedded database (a DATA_DIR folder) run by PGlite on its own thread (pglite-thread.ts), for the
 * server: statements run beside the event loop instead of on it, and a start opens the folder while the
 * app loads (bench/startup.bench.ts). Same semantics as PgliteDb (one connection; a transaction excludes
 * every other statement until it ends), one message each way per statement.
 */
export class PgliteThreadDb implements Db {
  readonly kind = 'pglite' as const;
  readonly folder: DbFolder;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<number, NotificationHandler>();
  private readonly base: Queryable;
  private nextId = 1;
  /** Set once the thread stopped or failed: every request fails with it from then on. */
  private stopped: Error | null = null;
  private readonly exited: Promise<void>;

  private closing = false;

  private constructor(
    dataDir: string,
    ready: (err?: Error) => void,
    private readonly onLost?: (err: Error) => void,
  ) {
    this.folder = { path: dataDir, snapshot: () => this.dumpBlob(true) };
    this.base = this.queryable(undefined);
    this.worker = new Worker(threadModule(), { workerData: { dataDir }, name: 'pglite' });
    this.worker.on('message', (m: ThreadReply) => {
      if (m.type === 'reply') {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.error) p?.reject(deserializeError(m.error));
        else p?.resolve(m.result);
      } else if (m.type === 'notify') {
        this.handlers.get(m.listenId)?.(m.payload);
      } else ready(m.error && deserializeError(m.error));
    });
    this.worker.on('error', (err) => this.stop(err));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        this.stop(Object.assign(new Error(`the embedded database's thread stopped (exit code ${code})`), { code: '57P01' }));
        ready(this.stopped!);
        if (!this.closing) this.onLost?.(this.stopped!);
        resolve();
      }),
    );
  }

  /**
   * Starts the thread and resolves once PGlite has opened dataDir (created when new). `onLost` is told if the
   * thread stops later without close() (a crash of PGlite): every statement fails from then on.
   */
  static async open(options: { dataDir: string; onLost?: (err: Error) => void }): Promise<PgliteThreadDb> {
    let settle!: (err?: Error) => void;
    const ready = new Promise<void>((resolve, reject) => (settle = (err) => (err ? reject(err) : resolve())));
    const db = new PgliteThreadDb(options.dataDir, settle, options.onLost);
    try {
      await ready;
    } catch (err) {
      db.closing = true;
      await db.worker.terminate();
      throw err;
    }
    return db;
  }

  private stop(err: Error) {
    this.stopped ??= err;
    for (const p of this.pending.values()) p.reject(this.stopped);
    this.pending.clear();
  }

  private request<T>(message: DistributiveOmit<ThreadRequest, 'id'>, id = this.nextId++): Promise<T> {
    if (this.stopped) return Promise.reject(this.stopped);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      try {
        this.worker.postMessage({ ...message, id } as ThreadRequest);
      } catch (err) {
        // A parameter that cannot cross the thread (a function, a symbol): the statement fails, nothing is sent.
        this.pending.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  private queryable(txId: number | undefined): Queryable {
    return {
      query: <T>(sql: string, params: unknown[] = []) => this.request<QueryResult<T>>({ op: 'query', sql, params, txId }),
      exec: async (sql: string) => {
        await this.request({ op: 'exec', sql, txId });
      },
    };
  }

  query<T = Record<string, unknown>>(sql: string, params?: unknown[]) {
    return this.base.query<T>(sql, params);
  }

  exec(sql: string) {
    return this.base.exec(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const txId = await this.request<number>({ op: 'begin' });
    const hooks: AfterCommitHook[] = [];
    let result: T;
    try {
      result = await fn(collectAfterCommit(this.queryable(txId), hooks));
    } catch (err) {
      await this.request({ op: 'end', txId, commit: false }).catch(() => {});
      throw err;
    }
    await this.request({ op: 'end', txId, commit: true });
    runAfterCommit(this, hooks);
    return result;
  }

  async listen(channel: string, handler: NotificationHandler) {
    // One process, one connection: it cannot be lost, so there is nothing to reconnect or backfill.
    // The request's id names the listener: its handler is in place before the first notification can arrive.
    const listenId = this.nextId++;
    this.handlers.set(listenId, handler);
    try {
      await this.request({ op: 'listen', channel }, listenId);
    } catch (err) {
      this.handlers.delete(listenId);
      throw err;
    }
    return async () => {
      this.handlers.delete(listenId);
      await this.request({ op: 'unlisten', listenId });
    };
  }

  async ping() {
    try {
      await this.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  private async dumpBlob(consistent: boolean): Promise<Blob> {
    const bytes = await this.request<ArrayBuffer>({ op: 'dump', consistent });
    return new Blob([bytes], { type: 'application/gzip' });
  }

  /** The whole folder as PGlite's gzipped tar (what PgliteDb.open's loadDataDir reads). */
  dump(): Promise<Blob> {
    return this.dumpBlob(false);
  }

  async close() {
    // PGlite closes the folder cleanly first; then the thread is ended, whatever it still holds.
    this.closing = true;
    if (!this.stopped) await this.request({ op: 'close' }).catch(() => {});
    await this.worker.terminate();
    await this.exited;
  }
}
