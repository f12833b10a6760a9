import { createWriteStream, existsSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { loadConfig } from '../src/server/config.ts';
import { PgliteDb } from '../src/server/db/pglite.ts';
import { BACKUP_ROUTE, processRuns, readBackupAccess } from '../src/server/modules/backup/backup-access.ts';

/**
 * `npm run backup -- <file>`: a consistent copy of the embedded database in DATA_DIR, as a gzipped tar
 * that `npm run restore` puts back. While a server runs on the folder, that server makes the copy
 * between two transactions (GET /internal/backup, with the token it wrote into DATA_DIR); when none
 * runs, this script opens the folder itself. On a PostgreSQL server, pg_dump does it (docs/operations.md).
 */
async function main() {
  const file = process.argv[2];
  if (!file) throw new Error('usage: npm run backup -- <file>   (e.g. backups/support-2026-12-02.tar.gz)');
  const config = loadConfig();
  if (config.databaseUrl) {
    process.stderr.write(
      'DATABASE_URL is set: back up the PostgreSQL server with pg_dump, e.g.\n' +
        '  pg_dump --format=custom --file=support.dump "$DATABASE_URL"\n' +
        'and restore it with pg_restore (docs/operations.md).\n',
    );
    process.exit(2);
  }
  const dataDir = resolve(config.dataDir);
  const target = resolve(file);
  if (!relative(dataDir, target).startsWith('..')) throw new Error(`write the backup outside DATA_DIR (${dataDir}): the next backup would contain it`);
  const partial = `${target}.partial`;

  const access = await readBackupAccess(dataDir);
  if (access && processRuns(access.pid)) {
    const res = await fetch(`${access.url}${BACKUP_ROUTE}`, { headers: { authorization: `Bearer ${access.token}` } });
    if (res.status !== 200 || !res.body) {
      throw new Error(`the server running on ${dataDir} (pid ${access.pid}, ${access.url}) refused the backup: ${res.status} ${await res.text()}`);
    }
    await pipeline(Readable.fromWeb(res.body as ReadableStream<Uint8Array>), createWriteStream(partial));
    await rename(partial, target);
    process.stdout.write(`backup of the running server (pid ${access.pid}) written to ${target}\n`);
    return;
  }
  if (!existsSync(join(dataDir, 'PG_VERSION'))) throw new Error(`no embedded database in DATA_DIR (${dataDir})`);
  // No server holds the folder: open it here (PGlite allows one process at a time).
  const db = await PgliteDb.open({ dataDir });
  try {
    const copy = await db.folder!.snapshot();
    await writeFile(partial, Buffer.from(await copy.arrayBuffer()));
    await rename(partial, target);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  } finally {
    await db.close();
  }
  process.stdout.write(`backup of ${dataDir} (no server running on it) written to ${target}\n`);
}

main().catch((err) => {
  process.stderr.write(`backup failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
