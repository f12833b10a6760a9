import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { inject } from 'vitest';
import type { Db } from '../db/index.ts';
import { migrate } from '../db/migrate.ts';
import { PgliteDb } from '../db/pglite.ts';
import { PostgresDb } from '../db/postgres.ts';
import { migrationsKey } from './template-key.ts';

export const PGLITE_TEMPLATE_DIR = fileURLToPath(new URL('../../../.tmp', import.meta.url));

/** Which database this test run uses: the vitest project sets TEST_DB (pglite, or postgres with TEST_DATABASE_URL). */
export const TEST_DRIVER: 'pglite' | 'postgres' = process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
export const onPostgres = TEST_DRIVER === 'postgres';

export type TestDb = { db: Db; schema?: string; url?: string; cleanup: () => Promise<void> };

/**
 * A migrated database of its own for one test file: a copy of the migrated PGlite template, or a new
 * database on the PostgreSQL server of TEST_DATABASE_URL, copied from the migrated template database
 * (dropped afterwards).
 */
export async function createTestDb(): Promise<TestDb> {
  if (TEST_DRIVER === 'pglite') {
    const dump = await readFile(await pgliteTemplatePath());
    const db = await PgliteDb.open({ loadDataDir: new Blob([dump]) });
    return { db, cleanup: () => db.close() };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DB=postgres needs TEST_DATABASE_URL');
  return createPostgresTestDb(url);
}

// ---------------------------------------------------------------------------------------------------
// PGlite: one migrated data directory per set of migrations, dumped to .tmp/pglite-template-<key>.tar.gz

/** The dump of a PGlite database on which migrate() ran every migration of migrations/ (key: migrationsKey()). */
export function pgliteTemplateFile(key = migrationsKey()): string {
  return `${PGLITE_TEMPLATE_DIR}/pglite-template-${key}.tar.gz`;
}

let building: Promise<string> | null = null;

/**
 * The template of the current migrations: made once (new PGlite, the real migrate(), dump) and kept,
 * written atomically so that runs side by side never read a half-written file. The global setup makes
 * it before any test file starts; a test file that finds none (a migration added during the run, or a
 * run without the global setup) makes it itself.
 */
export async function ensurePgliteTemplate(key = migrationsKey()): Promise<string> {
  const path = pgliteTemplateFile(key);
  if (existsSync(path)) return path;
  building ??= (async () => {
    const db = await PgliteDb.open();
    try {
      await migrate(db);
      const dump = await db.dump();
      await mkdir(dirname(path), { recursive: true });
      const partial = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.partial`;
      await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
      await rename(partial, path);
      return path;
    } finally {
      await db.close();
    }
  })().finally(() => {
    building = null;
  });
  return building;
}

async function pgliteTemplatePath(): Promise<string> {
  const key = migrationsKey();
  let provided: string | undefined;
  try {
    provided = inject('pgliteTemplate');
  } catch {
    provided = undefined; // outside a vitest run with the global setup
  }
  if (provided === pgliteTemplateFile(key) && existsSync(provided)) return provided;
  return ensurePgliteTemplate(key);
}

// ---------------------------------------------------------------------------------------------------
// PostgreSQL server: one migrated template database per set of migrations (tf_tpl_<key>); every test
// database is `CREATE DATABASE tf_t_<run>_<random> TEMPLATE tf_tpl_<key>` (a quarter of a second
// instead of every migration again).

const TEMPLATE_PREFIX = 'tf_tpl_';
const TEST_DB_PREFIX = 'tf_t_';
// Any constant: concurrent runs build a template one at a time.
const TEMPLATE_LOCK_KEY = 7_240_520;

/** `url` with another database name (query parameters kept). */
export function urlWithDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const ensured = new Map<string, Promise<string>>();

/**
 * The name of the template database of the current migrations on the server of `url`, made if missing:
 * a new database on which the real migrate() runs every migration, renamed to tf_tpl_<key> only once
 * complete (a failed or interrupted build never leaves a template behind), under an advisory lock so
 * that concurrent runs build it once.
 */
export function ensurePostgresTemplate(url: string, key = migrationsKey()): Promise<string> {
  const name = `${TEMPLATE_PREFIX}${key}`;
  const cacheKey = `${url}\0${name}`;
  let p = ensured.get(cacheKey);
  if (!p) {
    p = buildPostgresTemplate(url, name);
    ensured.set(cacheKey, p);
    p.catch(() => ensured.delete(cacheKey));
  }
  return p;
}

async function buildPostgresTemplate(url: string, name: string): Promise<string> {
  return withClient(url, async (c) => {
    const exists = async () => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount! > 0;
    if (await exists()) return name;
    await c.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    try {
      if (await exists()) return name;
      const building = `${name}_b${randomBytes(4).toString('hex')}`;
      await c.query(`CREATE DATABASE ${building}`);
      try {
        const db = new PostgresDb({ connectionString: urlWithDatabase(url, building), max: 2 });
        try {
          await migrate(db);
        } finally {
          await db.close();
        }
        await c.query(`COMMENT ON DATABASE ${building} IS '${new Date().toISOString()}'`);
        await c.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      } catch (error) {
        await c.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`).catch(() => {});
        throw error;
      }
      return name;
    } finally {
      await c.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
    }
  });
}

/**
 * The run id of a test file run without the global setup (nothing to inject): one per process, so its
 * databases are not named `tf_t_undefined_…` and never share a prefix with another run's; a later run's
 * global setup drops them after 6 hours (dropTestDatabases, olderThanHours).
 */
const PROCESS_RUN_ID = randomBytes(4).toString('hex');

function injectedRunId(): string | undefined {
  try {
    return inject('testRunId');
  } catch {
    return undefined; // outside a vitest run
  }
}

/**
 * The prefix of test database names for a run id: the global setup's, so that its teardown drops what a
 * file could not, else (none injected) this process's own (PROCESS_RUN_ID).
 */
export function testDbPrefix(runId: string | undefined): string {
  return `${TEST_DB_PREFIX}${runId || PROCESS_RUN_ID}_`;
}

function runPrefix(): string {
  return testDbPrefix(injectedRunId());
}

/** Test databases of `prefix` (all of them: the run's teardown), or those of any run older than `olderThanHours` (left by a killed run). */
export async function dropTestDatabases(url: string, options: { prefix?: string; olderThanHours?: number }): Promise<void> {
  await withClient(url, async (c) => {
    const { rows } = await c.query<{ datname: string; created: string | null }>(
      `SELECT d.datname, shobj_description(d.oid, 'pg_database') AS created FROM pg_database d WHERE d.datname LIKE $1`,
      [`${(options.prefix ?? TEST_DB_PREFIX).replace(/_/g, '\\_')}%`],
    );
    const cutoff = Date.now() - (options.olderThanHours ?? 0) * 3_600_000;
    for (const { datname, created } of rows) {
      if (options.olderThanHours !== undefined && !(created && Date.parse(created) < cutoff)) continue;
      await c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => {});
    }
  });
}

/** Template databases of other migrations than the current ones, made more than `olderThanHours` ago. */
export async function dropStaleTemplates(url: string, key = migrationsKey(), olderThanHours = 3): Promise<void> {
  await withClient(url, async (c) => {
    const { rows } = await c.query<{ datname: string; created: string | null }>(
      `SELECT d.datname, shobj_description(d.oid, 'pg_database') AS created FROM pg_database d WHERE d.datname LIKE 'tf\\_tpl\\_%'`,
    );
    const cutoff = Date.now() - olderThanHours * 3_600_000;
    for (const { datname, created } of rows) {
      if (datname === `${TEMPLATE_PREFIX}${key}` || !created || !(Date.parse(created) < cutoff)) continue;
      await c.query(`DROP DATABASE IF EXISTS ${datname}`).catch(() => {}); // refused while in use: next time
    }
  });
}

/**
 * A new migrated database on the PostgreSQL server of `url` (a copy of the template database of the
 * current migrations), dropped by `cleanup` (browser journeys run on both databases). `url` is the new
 * database's address and `schema` its schema (public), for tests that open more connections to it.
 */
export async function createPostgresTestDb(url: string): Promise<TestDb> {
  const template = await ensurePostgresTemplate(url);
  const database = `${runPrefix()}${randomBytes(6).toString('hex')}`;
  await withClient(url, async (c) => {
    await c.query(`CREATE DATABASE ${database} TEMPLATE ${template}`);
    await c.query(`COMMENT ON DATABASE ${database} IS '${new Date().toISOString()}'`);
  });
  const dbUrl = urlWithDatabase(url, database);
  const schema = 'public';
  const db = new PostgresDb({ connectionString: dbUrl, schema, max: 30 });
  return {
    db,
    schema,
    url: dbUrl,
    cleanup: async () => {
      await db.close();
      // Refused while a connection of the test is still open (55006): the run's teardown drops it.
      await withClient(url, (c) => c.query(`DROP DATABASE IF EXISTS ${database}`)).catch(() => {});
    },
  };
}

/** A new, empty schema `<prefix>_<random>` on the PostgreSQL server of `url`; `drop` removes it and all in it. */
export async function createSchema(url: string, prefix: string): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  const run = (sql: string) => withClient(url, (c) => c.query(sql));
  await run(`CREATE SCHEMA ${schema}`);
  return { schema, drop: async () => void (await run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)) };
}

