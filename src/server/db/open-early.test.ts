import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeEarly, openEarly } from './open-early.ts';
import { onPostgres } from '../test/test-db.ts';

// `npm start` starts the embedded database's thread before its build check (scripts/start.mjs), and the
// bundle's main.ts calls openEarly again: it must take over that database, never open the folder twice.
describe.skipIf(onPostgres)('openEarly', () => {
  const dirs: string[] = [];
  const newDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tf-open-early-'));
    dirs.push(dir);
    return join(dir, 'data');
  };
  const fatal = () => {
    throw new Error('the database was lost');
  };
  afterEach(() => closeEarly());
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('starts nothing with DATABASE_URL', () => {
    expect(openEarly({ DATABASE_URL: 'postgres://example/db', DATA_DIR: 'unused' }, fatal)).toBeNull();
  });

  it('returns the database it started to a second call for the same folder, with the second call’s onLost, and creates the folder', async () => {
    const dataDir = await newDir();
    const first = openEarly({ DATA_DIR: dataDir }, fatal);
    expect(existsSync(dataDir)).toBe(true);
    const onLost = () => {};
    const second = openEarly({ DATA_DIR: dataDir, DATABASE_URL: '' }, onLost);
    expect(second).toBe(first);
    expect(second!.onLost).toBe(onLost);
    const db = await second!.db;
    expect(db).toBe(await first!.db);
    expect((await db.query<{ n: number }>('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
  });

  it('starts another database for another folder, and again after closeEarly', async () => {
    const a = openEarly({ DATA_DIR: await newDir() }, fatal)!;
    const dbA = await a.db;
    const b = openEarly({ DATA_DIR: await newDir() }, fatal)!;
    expect(b).not.toBe(a);
    await b.db;
    await closeEarly();
    // closeEarly closed the one it held; a call after it starts a new thread on the same folder.
    await expect((await b.db).query('SELECT 1')).rejects.toThrow();
    const again = openEarly({ DATA_DIR: b.dataDir }, fatal)!;
    expect(again).not.toBe(b);
    expect((await (await again.db).query<{ n: number }>('SELECT 2 AS n')).rows).toEqual([{ n: 2 }]);
    await dbA.close();
  });
});
