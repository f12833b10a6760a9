import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Db } from './types.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));
/** Functions and triggers of the current code, one rule a file, replaced on every migrate (docs/architecture.md). */
export const FUNCTIONS_DIR = fileURLToPath(new URL('../../../migrations/functions/', import.meta.url));

// Any constant: every instance that starts takes the same advisory lock, so only one migrates at a time.
const MIGRATION_LOCK_KEY = 7_240_519;

export type Migration = { version: number; name: string; sql: string };

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: Number(file.slice(0, 4)),
      name: file.replace(/\.sql$/, ''),
      sql: await readFile(`${dir}/${file}`, 'utf8'),
    })),
  );
}

export type SqlFunctionFile = { name: string; sql: string };

/** `functions/*.sql` in name order; none when the directory does not exist (an older tree). */
export async function readFunctions(dir = FUNCTIONS_DIR): Promise<SqlFunctionFile[]> {
  const files = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  return Promise.all(
    files
      .filter((f) => /^[\w-]+\.sql$/.test(f))
      .sort()
      .map(async (file) => ({ name: file.replace(/\.sql$/, ''), sql: await readFile(`${dir}/${file}`, 'utf8') })),
  );
}

/** What a function file's text is recorded under in schema_functions: a changed text is applied again. */
export function functionChecksum(f: SqlFunctionFile): string {
  return createHash('sha256').update(f.sql).digest('hex');
}

/**
 * One statement, no lock, no transaction: whether every migration is recorded and every function file is
 * recorded with its current checksum, i.e. whether migrate() has nothing to do (a plain restart). False
 * when the bookkeeping tables do not exist yet (a new or an older database) or the statement fails: the
 * full path under the lock then decides. Another instance migrating meanwhile is seen before or after
 * its commit, never half-way; before, this one takes the full path and waits for the lock.
 */
async function upToDate(db: Db, all: Migration[], current: SqlFunctionFile[]): Promise<boolean> {
  let row: { versions: number[] | null; functions: Record<string, string> | null } | undefined;
  try {
    ({
      rows: [row],
    } = await db.query<{ versions: number[] | null; functions: Record<string, string> | null }>(
      `SELECT (SELECT array_agg(version) FROM schema_migrations) AS versions,
              (SELECT json_object_agg(name, checksum) FROM schema_functions) AS functions`,
    ));
  } catch {
    return false;
  }
  const versions = new Set(row?.versions ?? []);
  const checksums = row?.functions ?? {};
  return all.every((m) => versions.has(m.version)) && current.every((f) => checksums[f.name] === functionChecksum(f));
}

/**
 * Applies the numbered migrations not yet recorded in schema_migrations, then the files of
 * `migrations/functions/` (CREATE OR REPLACE: each function has one current text, whichever numbered
 * migration first created it), all in one transaction under an advisory lock: instances starting
 * together wait for each other, and a failed migration leaves nothing half-applied. Returns the names
 * of the numbered migrations applied.
 *
 * A function file is applied when its text differs from the one recorded in schema_functions at its last
 * application (by checksum), and every one of them is applied again whenever a numbered migration ran (it
 * may have dropped or replaced a function, as 0016 does). A restart with nothing changed applies none:
 * replacing every function and trigger cost a noticeable part of a start (bench/startup.bench.ts).
 *
 * Called with an explicit list of migrations (an older schema, in the upgrade test), it applies only
 * the functions it is given: today's functions may need tables of later migrations.
 */
export async function migrate(db: Db, migrations?: Migration[], functions?: SqlFunctionFile[]): Promise<string[]> {
  const all = migrations ?? (await readMigrations());
  const current = functions ?? (migrations ? [] : await readFunctions());
  if (await upToDate(db, all, current)) return [];
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE IF NOT EXISTS schema_functions (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const applied: string[] = [];
    for (const m of all) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.name);
    }
    const recorded = await tx.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_functions');
    const checksums = new Map(recorded.rows.map((r) => [r.name, r.checksum]));
    for (const f of current) {
      const checksum = functionChecksum(f);
      if (applied.length === 0 && checksums.get(f.name) === checksum) continue;
      await tx.exec(f.sql);
      await tx.query(
        `INSERT INTO schema_functions (name, checksum) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now()`,
        [f.name, checksum],
      );
    }
    return applied;
  });
}
