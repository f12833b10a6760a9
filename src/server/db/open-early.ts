import { mkdirSync } from 'node:fs';
import { DEFAULT_DATA_DIR } from './data-dir.ts';
import { PgliteThreadDb } from './pglite-worker.ts';

export type EarlyDatabase = { dataDir: string; db: Promise<PgliteThreadDb> };

/**
 * Starts opening the embedded database from the environment alone, before the configuration and the rest
 * of the server are even loaded (main.ts): its thread then opens the folder while they load. DATA_DIR and
 * DATABASE_URL are read as loadConfig reads them (an empty variable is unset; DATA_DIR defaults to
 * DEFAULT_DATA_DIR); main.ts uses this database only when the configuration names the same folder, and closes it
 * otherwise. Null when DATABASE_URL names a server.
 */
export function openEarly(env: NodeJS.ProcessEnv, onLost: (err: Error) => void): EarlyDatabase | null {
  if (env.DATABASE_URL) return null;
  const dataDir = env.DATA_DIR || DEFAULT_DATA_DIR;
  mkdirSync(dataDir, { recursive: true });
  const db = PgliteThreadDb.open({ dataDir, onLost });
  // Awaited by main.ts, or closed: a failure must not go unhandled meanwhile.
  db.catch(() => {});
  return { dataDir, db };
}
