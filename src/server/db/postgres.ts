import pg from 'pg';
import { collectAfterCommit, runAfterCommit, type AfterCommitHook } from './after-commit.ts';
import type { Db, NotificationHandler, Queryable, QueryResult } from './types.ts';

// Return bigint (int8) and numeric as JS numbers: our counts and sums stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
      const r = await client.query(sql, params);
      return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}

type Listener = { channel: string; handler: NotificationHandler; onReconnect?: () => void };

export type PostgresOptions = {
  connectionString: string;
  max?: number;
  /** search_path for every connection: lets tests isolate themselves in a schema. */
  schema?: string;
  /** application_name of the pool's connections; the LISTEN connection gets it with ":listen" appended. */
  applicationName?: string;
  onError?: (err: Error) => void;
  /**
   * How long a query may wait for the server's answer before it fails (and its connection is thrown
   * away): a connection left half-open by a crashed server or a dropped route would otherwise hang
   * until the kernel's TCP timeout, minutes later. Default 60 s, far above any of our queries.
   */
  queryTimeoutMs?: number;
};

/**
 * A PostgreSQL server through a pg pool. LISTEN runs on one dedicated connection that is re-opened,
 * with back-off, whenever it drops; listeners are told so that they can backfill what they missed.
 */
export class PostgresDb implements Db {
  readonly kind = 'postgres' as const;
  readonly pool: pg.Pool;
  private readonly base: Queryable;
  private listenClient: pg.Client | null = null;
  private listeners = new Set<Listener>();
  private connecting: Promise<void> | null = null;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: PostgresOptions) {
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.max ?? 20,
      options: options.schema ? `-c search_path=${options.schema}` : undefined,
      application_name: options.applicationName,
      connectionTimeoutMillis: 5000,
      query_timeout: options.queryTimeoutMs ?? 60_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    // An idle client that loses its connection must not crash the process.
    this.pool.on('error', (err) => options.onError?.(err));
    this.base = wrap(this.pool);
  }

  query<T = Record<string, unknown>>(sql: string, params?: unknown[]) {
    return this.base.query<T>(sql, params);
  }

  exec(sql: string) {
    return this.base.exec(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out client has no 'error' listener of the pool's: when the server ends the connection
    // between two statements (a restart, an admin's pg_terminate_backend), the unhandled 'error' event
    // would end the whole process. Listen for it, and destroy that connection rather than pool it.
    let broken: Error | undefined;
    const onBroken = (err: Error) => {
      broken = err;
    };
    client.on('error', onBroken);
    const hooks: AfterCommitHook[] = [];
    try {
      await client.query('BEGIN');
      const result = await fn(collectAfterCommit(wrap(client), hooks));
      await client.query('COMMIT');
      runAfterCommit(this, hooks);
      return result;
    } catch (err) {
      if (!broken) {
        await client.query('ROLLBACK').catch((rollbackErr: Error) => {
          broken = rollbackErr;
        });
      }
      throw err;
    } finally {
      client.removeListener('error', onBroken);
      client.release(broken);
    }
  }

  async listen(channel: string, handler: NotificationHandler, onReconnect?: () => void) {
    const listener: Listener = { channel, handler, onReconnect };
    this.listeners.add(listener);
    await this.ensureListenClient();
    await this.listenClient?.query(`LISTEN ${quoteIdent(channel)}`);
    return async () => {
      this.listeners.delete(listener);
      const stillUsed = [...this.listeners].some((l) => l.channel === channel);
      if (!stillUsed) await this.listenClient?.query(`UNLISTEN ${quoteIdent(channel)}`).catch(() => {});
    };
  }

  private ensureListenClient(): Promise<void> {
    if (this.listenClient) return Promise.resolve();
    if (!this.connecting) {
      this.connecting = this.openListenClient().finally(() => {
        this.connecting = null;
      });
    }
    return this.connecting;
  }

  private async openListenClient() {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      options: this.options.schema ? `-c search_path=${this.options.schema}` : undefined,
      application_name: `${this.options.applicationName ?? 'tasty-food-support'}:listen`,
      connectionTimeoutMillis: 5000,
      keepAlive: true,
    });
    client.on('notification', (msg) => {
      for (const l of this.listeners) if (l.channel === msg.channel) l.handler(msg.payload ?? '');
    });
    const lost = (err?: Error) => {
      if (this.listenClient !== client) return;
      this.listenClient = null;
      client.removeAllListeners('end');
      client.end().catch(() => {});
      if (err) this.options.onError?.(err);
      this.scheduleReconnect(0);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    for (const channel of new Set([...this.listeners].map((l) => l.channel))) {
      await client.query(`LISTEN ${quoteIdent(channel)}`);
    }
    this.listenClient = client;
  }

  private scheduleReconnect(attempt: number) {
    if (this.closed || this.reconnectTimer) return;
    const delay = Math.min(100 * 2 ** attempt, 5000);
    this.reconnectTimer = setTimeout(async () => {
      this.reconnectTimer = null;
      if (this.closed) return;
      try {
        await this.ensureListenClient();
        for (const l of this.listeners) l.onReconnect?.();
      } catch (err) {
        this.options.onError?.(err as Error);
        this.scheduleReconnect(attempt + 1);
      }
    }, delay);
    this.reconnectTimer.unref();
  }

  async ping() {
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close() {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.listenClient;
    this.listenClient = null;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
    }
    await this.pool.end();
  }
}

function quoteIdent(name: string) {
  return `"${name.replace(/"/g, '""')}"`;
}
