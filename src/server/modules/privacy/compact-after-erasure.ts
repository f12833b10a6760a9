import type { Db } from '../../db/index.ts';
import { compactTables, ERASURE_TABLES } from './privacy.repo.ts';

/**
 * On the embedded database, an erasure is not complete until the old versions of the rows are gone from
 * the files a backup copies (`npm run backup` copies the data folder): PostgreSQL keeps an updated or
 * deleted row's old version in the table's pages until VACUUM, and in the write-ahead log until its
 * segment is removed (a recycled segment keeps its old bytes). So: VACUUM FULL the tables an erasure
 * rewrites (they are rewritten without the old versions), then move the log to new segments and let the
 * checkpoints remove the old ones without recycling them. The embedded database is for one small
 * instance: this takes well under a second there. On a PostgreSQL server the operator's own VACUUM and
 * WAL archiving policy govern this (docs/privacy.md); nothing runs here.
 */
export async function compactAfterErasure(db: Db): Promise<void> {
  if (db.kind !== 'pglite') return;
  await compactTables(db, ERASURE_TABLES);
}
