import { mkdir } from 'node:fs/promises';
import { PgliteDb } from './pglite.ts';
import { PostgresDb } from './postgres.ts';
import type { Db } from './types.ts';

export type { Db, Queryable, QueryResult } from './types.ts';

/** Opens the PostgreSQL server when a URL is given, else the embedded database in dataDir. */
export async function openDb(options: {
  databaseUrl?: string;
  dataDir?: string;
  /** search_path on the PostgreSQL server (a separate worker process joining a test's schema). */
  schema?: string;
  onError?: (err: Error) => void;
}): Promise<Db> {
  if (options.databaseUrl) {
    return new PostgresDb({ connectionString: options.databaseUrl, schema: options.schema, onError: options.onError });
  }
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  return PgliteDb.open({ dataDir: options.dataDir });
}
