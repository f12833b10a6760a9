import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../test/test-db.ts';
import { watchDb } from '../test/watch-db.ts';
import { functionChecksum, migrate, readFunctions, readMigrations, type Migration, type SqlFunctionFile } from './migrate.ts';

// A restart with nothing changed must not replace every function and trigger again (part of the start-up
// time, bench/startup.bench.ts), yet a changed function file, or any numbered migration, must still apply.
describe('migrate and the functions of migrations/functions/', () => {
  let t: TestDb;
  let migrations: Migration[];
  const probe = (value: number): SqlFunctionFile => ({
    name: 'zz-startup-probe',
    sql: `CREATE OR REPLACE FUNCTION tf_startup_probe() RETURNS integer AS $$ SELECT ${value} $$ LANGUAGE sql`,
  });
  const probeValue = async () => (await t.db.query<{ v: number }>('SELECT tf_startup_probe() AS v')).rows[0]!.v;
  /** A change made behind migrate's back: migrate overwrites it only when it applies the file again. */
  const tamper = () => t.db.exec('CREATE OR REPLACE FUNCTION tf_startup_probe() RETURNS integer AS $$ SELECT -1 $$ LANGUAGE sql');

  beforeAll(async () => {
    t = await createTestDb();
    migrations = await readMigrations();
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('records the checksum of every function file of a migrated database', async () => {
    expect(await migrate(t.db)).toEqual([]);
    const { rows } = await t.db.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_functions ORDER BY name');
    const files = await readFunctions();
    expect(files.length).toBeGreaterThan(0);
    expect(rows).toEqual(files.map((f) => ({ name: f.name, checksum: functionChecksum(f) })).sort((a, b) => a.name.localeCompare(b.name)));
  });

  it('checks an up-to-date database in one statement, without a transaction or the lock (a plain restart)', async () => {
    expect(await migrate(t.db)).toEqual([]);
    const watched = watchDb(t.db);
    expect(await migrate(watched.db)).toEqual([]);
    expect(watched.statements).toHaveLength(1);
    expect(watched.transactions()).toBe(0);
    // A function file whose text changed is not up to date: the full path (the lock, a transaction) applies it.
    await migrate(watched.db, migrations, [probe(41)]);
    expect(watched.transactions()).toBe(1);
    expect(await probeValue()).toBe(41);
  });

  it('skips an unchanged function file, and applies it again once its text changed', async () => {
    await migrate(t.db, migrations, [probe(1)]);
    expect(await probeValue()).toBe(1);

    await tamper();
    expect(await migrate(t.db, migrations, [probe(1)])).toEqual([]);
    expect(await probeValue()).toBe(-1);

    expect(await migrate(t.db, migrations, [probe(2)])).toEqual([]);
    expect(await probeValue()).toBe(2);
    const { rows } = await t.db.query<{ checksum: string }>(`SELECT checksum FROM schema_functions WHERE name = 'zz-startup-probe'`);
    expect(rows).toEqual([{ checksum: functionChecksum(probe(2)) }]);
  });

  it('applies every function file again, changed or not, when a numbered migration ran', async () => {
    await migrate(t.db, migrations, [probe(3)]);
    await tamper();
    const next: Migration = { version: 9_000 + Math.floor(Math.random() * 900), name: '9xxx_startup_probe', sql: 'CREATE TABLE startup_probe (id integer)' };
    expect(await migrate(t.db, [...migrations, next], [probe(3)])).toEqual(['9xxx_startup_probe']);
    expect(await probeValue()).toBe(3);
  });
});
