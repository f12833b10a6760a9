/**
 * The messages between the server and the thread that runs the embedded database (pglite-thread.ts).
 * Each request carries an id; the thread answers it once, with a result or an error.
 */
export type ThreadRequest =
  | { id: number; op: 'query'; sql: string; params: unknown[]; txId?: number }
  | { id: number; op: 'exec'; sql: string; txId?: number }
  /** Opens a transaction (PGlite's, holding its mutex); answered with its txId once inside it. */
  | { id: number; op: 'begin' }
  /** Ends transaction txId: COMMIT or ROLLBACK; answered once PGlite has ended it. */
  | { id: number; op: 'end'; txId: number; commit: boolean }
  | { id: number; op: 'listen'; channel: string }
  | { id: number; op: 'unlisten'; listenId: number }
  /** A gzipped tar of the data folder; `consistent` takes it between two transactions, after a CHECKPOINT. */
  | { id: number; op: 'dump'; consistent: boolean }
  | { id: number; op: 'close' };

export type SerializedError = { message: string; name: string; props: Record<string, unknown> };

export type ThreadReply =
  | { type: 'ready'; error?: SerializedError }
  | { type: 'reply'; id: number; result?: unknown; error?: SerializedError }
  | { type: 'notify'; listenId: number; payload: string };

/**
 * An error crosses the thread boundary as plain data: structured cloning keeps an Error's message but drops
 * the fields callers rely on (PostgreSQL's SQLSTATE `code`, `constraint`, `detail`, ...).
 */
export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { message: String(err), name: 'Error', props: {} };
  const props: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(err)) {
    if (value === undefined || typeof value === 'function') continue;
    props[key] = value;
  }
  return { message: err.message, name: err.name, props };
}

export function deserializeError(e: SerializedError): Error {
  const err = Object.assign(new Error(e.message), e.props);
  err.name = e.name;
  return err;
}
