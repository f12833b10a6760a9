import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadConfig } from '../src/server/config.ts';
import { PgliteDb } from '../src/server/db/pglite.ts';
import { BACKUP_ACCESS_FILE } from '../src/server/modules/backup/backup-access.ts';

/**
 * `npm run restore -- <file>`: puts a copy made by `npm run backup` into DATA_DIR, which must be empty
 * or missing (nothing is ever overwritten); `npm start` then runs on it, migrating it if the copy is
 * older than the code. On a PostgreSQL server, pg_restore does it (docs/operations.md).
 */
async function main() {
  const file = process.argv[2];
  if (!file) throw new Error('usage: npm run restore -- <file>   (a file written by npm run backup)');
  const config = loadConfig();
  if (config.databaseUrl) {
    process.stderr.write(
      'DATABASE_URL is set: restore a PostgreSQL dump with pg_restore, e.g.\n' +
        '  pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" support.dump\n' +
        '(docs/operations.md).\n',
    );
    process.exit(2);
  }
  const dataDir = resolve(config.dataDir);
  const present = await readdir(dataDir).catch(() => []);
  if (present.length > 0) {
    throw new Error(`DATA_DIR (${dataDir}) is not empty: restore only into an empty or new folder (set DATA_DIR to one, or move this one away first)`);
  }
  const copy = await readFile(resolve(file));
  await mkdir(dataDir, { recursive: true });
  try {
    const db = await PgliteDb.open({ dataDir, loadDataDir: new Blob([copy]) });
    try {
      const { rows } = await db.query<{ version: number }>('SELECT max(version)::int AS version FROM schema_migrations');
      process.stdout.write(`restored ${file} into ${dataDir} (schema version ${rows[0]?.version}); npm start runs on it\n`);
    } finally {
      await db.close();
    }
    // The copy carries the token of the server it was taken from: it is no one's now.
    await rm(join(dataDir, BACKUP_ACCESS_FILE), { force: true });
  } catch (err) {
    // The folder was empty: leave it so again, so that a second try can succeed.
    for (const entry of await readdir(dataDir)) await rm(join(dataDir, entry), { recursive: true, force: true });
    throw new Error(`${file} is not a backup of this application's embedded database: ${err instanceof Error ? err.message : String(err)}`);
  }
}

main().catch((err) => {
  process.stderr.write(`restore failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
