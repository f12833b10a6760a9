import type { Db, DbFolder, NotificationHandler, Queryable, QueryResult } from './types.ts';

/**
 * A Db usable before the database is ready: every call waits for `ready` (opened and migrated), then goes
 * straight to the database. The server's start (main.ts) builds the app with it while the embedded
 * database opens on its thread: the app's first statement waits, the work before it does not.
 */
export class DeferredDb implements Db {
  readonly folder?: DbFolder;
  private target: Db | null = null;

  constructor(
    private readonly ready: Promise<Db>,
    readonly kind: Db['kind'],
    /** The embedded database's folder (DATA_DIR), known before it opens. */
    folderPath?: string,
  ) {
    ready.then(
      (db) => (this.target = db),
      () => {},
    );
    if (folderPath) this.folder = { path: folderPath, snapshot: async () => (await this.db()).folder!.snapshot() };
  }

  private db(): Promise<Db> | Db {
    return this.target ?? this.ready;
  }

  async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    return (await this.db()).query<T>(sql, params);
  }

  async exec(sql: string): Promise<void> {
    return (await this.db()).exec(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return (await this.db()).transaction(fn);
  }

  async listen(channel: string, handler: NotificationHandler, onReconnect?: () => void) {
    return (await this.db()).listen(channel, handler, onReconnect);
  }

  async ping(): Promise<boolean> {
    try {
      return await (await this.db()).ping();
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    const db = await Promise.resolve(this.db()).catch(() => null);
    await db?.close();
  }
}
