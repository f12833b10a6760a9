import { mkdir } from 'node:fs/promises';
import type { Db } from './types.ts';

export type { Db, DbFolder, Queryable, QueryResult } from './types.ts';

/** Opens the PostgreSQL server when a URL is given, else the embedded database in dataDir. */
export async function openDb(options: {
  databaseUrl?: string;
  dataDir?: string;
  /** search_path on the PostgreSQL server (a separate worker process joining a test's schema). */
  schema?: string;
  onError?: (err: Error) => void;
  /** The embedded database's thread stopped on its own (PGlite crashed): nothing can be served any more. */
  onLost?: (err: Error) => void;
}): Promise<Db> {
  // Each driver is loaded only when used: a start on the embedded database does not load pg, nor a
  // server instance PGlite (part of the start-up time, bench/startup.bench.ts).
  if (options.databaseUrl) {
    const { PostgresDb } = await import('./postgres.ts');
    return new PostgresDb({ connectionString: options.databaseUrl, schema: options.schema, onError: options.onError });
  }
  if (options.dataDir) {
    await mkdir(options.dataDir, { recursive: true });
    // A server's folder: PGlite on its own thread (pglite-worker.ts).
    const { PgliteThreadDb } = await import('./pglite-worker.ts');
    return PgliteThreadDb.open({ dataDir: options.dataDir, onLost: options.onLost });
  }
  const { PgliteDb } = await import('./pglite.ts');
  return PgliteDb.open();
}
