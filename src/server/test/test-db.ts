import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { inject } from 'vitest';
import type { Db } from '../db/index.ts';
import { migrate } from '../db/migrate.ts';
import { PgliteDb } from '../db/pglite.ts';
import { PostgresDb } from '../db/postgres.ts';

export const PGLITE_TEMPLATE_DIR = fileURLToPath(new URL('../../../.tmp', import.meta.url));

/** Which database this test run uses: the vitest project sets TEST_DB (pglite, or postgres with TEST_DATABASE_URL). */
export const TEST_DRIVER: 'pglite' | 'postgres' = process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
export const onPostgres = TEST_DRIVER === 'postgres';

export type TestDb = { db: Db; schema?: string; url?: string; cleanup: () => Promise<void> };

/**
 * A migrated database of its own for one test file: a copy of the migrated PGlite template, or a new
 * schema on the PostgreSQL server of TEST_DATABASE_URL (dropped afterwards).
 */
export async function createTestDb(): Promise<TestDb> {
  if (TEST_DRIVER === 'pglite') {
    const dump = await readFile(inject('pgliteTemplate'));
    const db = await PgliteDb.open({ loadDataDir: new Blob([dump]) });
    return { db, cleanup: () => db.close() };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DB=postgres needs TEST_DATABASE_URL');
  return createPostgresTestDb(url);
}

/** A new migrated schema on the PostgreSQL server of `url`, dropped by `cleanup` (browser journeys run on both databases). */
export async function createPostgresTestDb(url: string): Promise<TestDb> {
  const { schema, drop } = await createSchema(url, 't');
  const db = new PostgresDb({ connectionString: url, schema, max: 30 });
  await migrate(db);
  return {
    db,
    schema,
    url,
    cleanup: async () => {
      await db.close();
      await drop();
    },
  };
}

/** A new, empty schema `<prefix>_<random>` on the PostgreSQL server of `url`; `drop` removes it and all in it. */
export async function createSchema(url: string, prefix: string): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  const run = async (sql: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`CREATE SCHEMA ${schema}`);
  return { schema, drop: () => run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}
