import { PGlite, type Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { collectAfterCommit, runAfterCommit, type AfterCommitHook } from './after-commit.ts';
import type { Db, DbFolder, NotificationHandler, Queryable, QueryResult } from './types.ts';

function wrap(q: PGlite | Transaction): Queryable {
  return {
    async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
      const r = await q.query<T>(sql, params);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  };
}

/** The embedded database. Every transaction goes through PGlite's transaction(), which holds its mutex. */
export class PgliteDb implements Db {
  readonly kind = 'pglite' as const;
  private readonly base: Queryable;
  readonly folder?: DbFolder;

  private constructor(readonly pg: PGlite) {
    this.base = wrap(pg);
    if (pg.dataDir) this.folder = { path: pg.dataDir, snapshot: () => this.snapshotDataDir() };
  }

  /** dataDir undefined keeps the database in memory; loadDataDir starts from a dumped copy. */
  static async open(options: { dataDir?: string; loadDataDir?: Blob | File } = {}): Promise<PgliteDb> {
    // pg_trgm: migration 0008 creates the extension (ticket search indexes); PGlite must load its bundle first.
    const pg = new PGlite({ dataDir: options.dataDir, loadDataDir: options.loadDataDir, extensions: { pg_trgm } });
    await pg.waitReady;
    return new PgliteDb(pg);
  }

  query<T = Record<string, unknown>>(sql: string, params?: unknown[]) {
    return this.base.query<T>(sql, params);
  }

  exec(sql: string) {
    return this.base.exec(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const hooks: AfterCommitHook[] = [];
    const result = await this.pg.transaction((tx) => fn(collectAfterCommit(wrap(tx), hooks)));
    runAfterCommit(this, hooks);
    return result;
  }

  async listen(channel: string, handler: NotificationHandler) {
    // One process, one connection: it cannot be lost, so there is nothing to reconnect or backfill.
    const unlisten = await this.pg.listen(channel, handler);
    return async () => {
      await unlisten();
    };
  }

  async ping() {
    try {
      await this.pg.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Inside a transaction, which in PGlite excludes every other statement and transaction, so the copy is
   * taken between two transactions: it holds exactly those committed before it. CHECKPOINT first writes
   * every committed page to the files, so the copy opens without replaying the log.
   */
  private async snapshotDataDir(): Promise<Blob> {
    return this.pg.transaction(async (tx) => {
      await tx.exec('CHECKPOINT');
      return this.pg.dumpDataDir('gzip');
    });
  }

  async dump(): Promise<Blob> {
    return this.pg.dumpDataDir('gzip');
  }

  async close() {
    if (!this.pg.closed) await this.pg.close();
  }
}
