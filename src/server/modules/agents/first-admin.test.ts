import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb, onPostgres, type TestDb } from '../../test/test-db.ts';
import { watchDb } from '../../test/watch-db.ts';
import { verifyPassword } from './passwords.ts';
import { DEFAULT_ADMIN_EMAIL, ensureFirstAdmin } from './first-admin.ts';
import { PostgresDb } from '../../db/postgres.ts';

let testDb: TestDb | null = null;
afterEach(async () => {
  await testDb?.cleanup();
  testDb = null;
});

async function agents(db: TestDb['db']) {
  const { rows } = await db.query<{ email: string; role: string; password_hash: string }>('SELECT email, role, password_hash FROM agents');
  return rows;
}

describe('ensureFirstAdmin', () => {
  it('creates an admin from ADMIN_EMAIL / ADMIN_PASSWORD on a database without agents, and prints nothing', async () => {
    testDb = await createTestDb();
    const printed: string[] = [];
    const created = await ensureFirstAdmin({
      db: testDb.db,
      config: { adminEmail: 'Boss@TastyFood.example', adminPassword: 'correct horse battery' },
      out: (t) => printed.push(t),
    });
    expect(created).toEqual({ email: 'boss@tastyfood.example', generatedPassword: false });
    const rows = await agents(testDb.db);
    expect(rows).toMatchObject([{ email: 'boss@tastyfood.example', role: 'admin' }]);
    expect(await verifyPassword(rows[0]!.password_hash, 'correct horse battery')).toBe(true);
    expect(printed).toEqual([]);
  });

  it('generates a password, prints it once, and does nothing on the next start', async () => {
    testDb = await createTestDb();
    const printed: string[] = [];
    const out = (t: string) => printed.push(t);
    const created = await ensureFirstAdmin({ db: testDb.db, config: { adminEmail: undefined, adminPassword: undefined }, out });
    expect(created).toEqual({ email: DEFAULT_ADMIN_EMAIL, generatedPassword: true });
    expect(printed).toHaveLength(1);
    const password = /password: (\S+)/.exec(printed[0]!)![1]!;
    const rows = await agents(testDb.db);
    expect(await verifyPassword(rows[0]!.password_hash, password)).toBe(true);

    // The next start: one statement, no transaction, no lock.
    const watched = watchDb(testDb.db);
    expect(await ensureFirstAdmin({ db: watched.db, config: { adminEmail: 'other@tastyfood.example', adminPassword: undefined }, out })).toBeNull();
    expect(watched.statements).toHaveLength(1);
    expect(watched.transactions()).toBe(0);
    expect(printed).toHaveLength(1);
    expect(await agents(testDb.db)).toHaveLength(1);
  });

  it.skipIf(!onPostgres)('creates exactly one admin when several instances start at once', async () => {
    testDb = await createTestDb();
    const instances = Array.from({ length: 4 }, () => new PostgresDb({ connectionString: testDb!.url!, schema: testDb!.schema, max: 2 }));
    try {
      const results = await Promise.all(
        instances.map((db, i) => ensureFirstAdmin({ db, config: { adminEmail: `admin${i}@tastyfood.example`, adminPassword: 'parallel start pw' }, out: () => {} })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await agents(testDb.db)).toHaveLength(1);
    } finally {
      await Promise.all(instances.map((db) => db.close()));
    }
  });
});
