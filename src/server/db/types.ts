/** The result of one statement. */
export type QueryResult<T> = { rows: T[]; rowCount: number };

/** Something SQL can be sent to: the database itself, or an open transaction. */
export interface Queryable {
  /** One parameterised statement ($1, $2, …). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type NotificationHandler = (payload: string) => void;

/**
 * One small interface over the embedded database (PGlite) and a PostgreSQL server (pg).
 * The same SQL runs on both.
 */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * LISTEN on a channel. Notifications sent with pg_notify inside a transaction arrive after it commits.
   * `onReconnect` is called after the listening connection was lost and restored, so callers can backfill.
   */
  listen(channel: string, handler: NotificationHandler, onReconnect?: () => void): Promise<() => Promise<void>>;
  /** True when a trivial query answers. */
  ping(): Promise<boolean>;
  /**
   * The folder of an embedded database (DATA_DIR); undefined on a PostgreSQL server (backed up with
   * pg_dump) and on an in-memory database.
   */
  readonly folder?: DbFolder;
  close(): Promise<void>;
}

export type DbFolder = {
  path: string;
  /** A consistent copy of the whole folder (a gzipped tar that PGlite's loadDataDir opens), for `npm run backup`. */
  snapshot(): Promise<Blob>;
};
