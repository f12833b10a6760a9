import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, readFunctions, readMigrations } from '../db/migrate.ts';
import { migrationsKey } from './template-key.ts';
import { createTestDb, onPostgres, testDbPrefix, type TestDb } from './test-db.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

// Test files start from a copy of a migrated template (global-setup.ts): that copy must be exactly what
// migrating a new database gives, for the migrations of the tree as it is now.
describe(`a test database (${onPostgres ? 'PostgreSQL server' : 'PGlite'})`, () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb();
  });
  afterAll(async () => {
    await testDb?.cleanup();
  });

  it('has every migration of migrations/ applied, and migrating it again applies none', async () => {
    const { rows } = await testDb.db.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows).toEqual((await readMigrations()).map((m) => ({ version: m.version, name: m.name })));
    expect(await migrate(testDb.db)).toEqual([]);
  });

  it('has the functions of migrations/functions/', async () => {
    const names = (await readFunctions()).flatMap((f) => [...f.sql.matchAll(/CREATE OR REPLACE FUNCTION\s+([a-z_][a-z0-9_]*)/gi)].map((m) => m[1]!.toLowerCase()));
    expect(names.length).toBeGreaterThan(0);
    const { rows } = await testDb.db.query<{ proname: string }>('SELECT DISTINCT proname FROM pg_proc WHERE proname = ANY($1::text[])', [names]);
    expect(rows.map((r) => r.proname).sort()).toEqual([...new Set(names)].sort());
  });

  it('is its own: what one test file writes, another file’s database does not hold', async () => {
    await testDb.db.exec('CREATE TABLE test_db_probe (x int)');
    const other = await createTestDb();
    try {
      const { rows } = await other.db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'test_db_probe'");
      expect(rows[0]!.n).toBe(0);
    } finally {
      await other.cleanup();
    }
  });
});

describe('the key of the migrated templates', () => {
  let copy = '';
  beforeAll(async () => {
    copy = await mkdtemp(join(tmpdir(), 'tf-migrations-key-'));
    await cp(join(ROOT, 'migrations'), join(copy, 'migrations'), { recursive: true });
    for (const file of ['src/server/db/migrate.ts', 'node_modules/@electric-sql/pglite/package.json']) {
      await mkdir(dirname(join(copy, file)), { recursive: true });
      await cp(join(ROOT, file), join(copy, file));
    }
  });
  afterAll(async () => {
    if (copy) await rm(copy, { recursive: true, force: true });
  });

  it('is the same for the same files and changes with a new migration, an edited function or the migrate code', async () => {
    const before = migrationsKey(copy);
    expect(before).toBe(migrationsKey(ROOT));
    await writeFile(join(copy, 'migrations', '9999_new.sql'), 'SELECT 1;');
    const withNew = migrationsKey(copy);
    expect(withNew).not.toBe(before);
    const [someFunction] = (await readdir(join(copy, 'migrations', 'functions'))).sort();
    await writeFile(join(copy, 'migrations', 'functions', someFunction!), '-- edited');
    expect(migrationsKey(copy)).not.toBe(withNew);
    const afterFunction = migrationsKey(copy);
    await writeFile(join(copy, 'src/server/db/migrate.ts'), '// edited');
    expect(migrationsKey(copy)).not.toBe(afterFunction);
  });
});

describe('the names of test databases on a PostgreSQL server', () => {
  it("begin with the global setup's run id, which its teardown drops", () => {
    expect(testDbPrefix('0a1b2c3d')).toBe('tf_t_0a1b2c3d_');
  });

  it('take a random run id of this process when none was injected (a file run without the global setup)', () => {
    const prefix = testDbPrefix(undefined);
    expect(prefix).toMatch(/^tf_t_[0-9a-f]{8}_$/);
    expect(prefix).not.toContain('undefined');
    expect(testDbPrefix(undefined)).toBe(prefix);
    expect(testDbPrefix('')).toBe(prefix);
  });
});
