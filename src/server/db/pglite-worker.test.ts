import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterCommit } from './after-commit.ts';
import { DeferredDb } from './deferred.ts';
import { PgliteDb } from './pglite.ts';
import { PgliteThreadDb } from './pglite-worker.ts';
import type { Db } from './types.ts';
import { onPostgres } from '../test/test-db.ts';

// The server's embedded database runs on its own thread (pglite-worker.ts): the same Db semantics as the
// in-process PgliteDb the other tests use, with every value, error and notification crossing the thread.
// PGlite only: the PostgreSQL run of the suite has nothing to add here.
describe.skipIf(onPostgres)('the embedded database on its own thread', () => {
  let root: string;
  let db: PgliteThreadDb;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'tf-pglite-thread-'));
    db = await PgliteThreadDb.open({ dataDir: join(root, 'data') });
    await db.exec(`
      CREATE TABLE things (id serial PRIMARY KEY, name text UNIQUE NOT NULL, at timestamptz, doc jsonb, bytes bytea, big bigint);
      CREATE FUNCTION notify_thing() RETURNS trigger AS $$ BEGIN PERFORM pg_notify('things', NEW.name); RETURN NEW; END $$ LANGUAGE plpgsql;
      CREATE TRIGGER things_notify AFTER INSERT ON things FOR EACH ROW EXECUTE FUNCTION notify_thing();
    `);
  });
  afterAll(async () => {
    await db?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('sends parameters and returns rows with their types: dates, JSON, bytes, numbers', async () => {
    const at = new Date('2026-12-02T10:00:00.123Z');
    const r = await db.query<{ id: number; at: Date; doc: { a: number[] }; bytes: Uint8Array; big: number }>(
      'INSERT INTO things (name, at, doc, bytes, big) VALUES ($1, $2, $3, $4, $5) RETURNING id, at, doc, bytes, big',
      ['types', at, JSON.stringify({ a: [1, 2] }), new Uint8Array([0, 255, 7]), 42],
    );
    expect(r.rowCount).toBe(1);
    const row = r.rows[0]!;
    expect(row.at).toBeInstanceOf(Date);
    expect(row.at.toISOString()).toBe(at.toISOString());
    expect(row.doc).toEqual({ a: [1, 2] });
    expect([...row.bytes]).toEqual([0, 255, 7]);
    expect(Number(row.big)).toBe(42);
    expect((await db.query('UPDATE things SET big = big + 1 WHERE name = $1', ['types'])).rowCount).toBe(1);
  });

  it('fails a statement whose parameter cannot cross the thread, and goes on serving', async () => {
    await expect(db.query('SELECT $1::text AS v', [() => 'x'])).rejects.toThrow();
    expect((await db.query<{ v: string }>('SELECT $1::text AS v', ['ok'])).rows).toEqual([{ v: 'ok' }]);
  });

  it('keeps a PostgreSQL error’s SQLSTATE, constraint and detail across the thread', async () => {
    await db.query(`INSERT INTO things (name) VALUES ('dup')`);
    const err = await db.query(`INSERT INTO things (name) VALUES ('dup')`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: '23505', constraint: 'things_name_key' });
    expect((err as Error).message).toMatch(/duplicate key/);
    expect(await db.ping()).toBe(true);
  });

  it('commits a transaction, then runs its after-commit hooks; rolls back one that throws, without hooks', async () => {
    const ran: string[] = [];
    const id = await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: number }>(`INSERT INTO things (name) VALUES ('committed') RETURNING id`);
      afterCommit(tx, () => ran.push('committed'));
      return rows[0]!.id;
    });
    expect(id).toBeGreaterThan(0);
    expect(ran).toEqual(['committed']);

    const boom = new Error('boom');
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO things (name) VALUES ('rolled back')`);
        afterCommit(tx, () => ran.push('rolled back'));
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(ran).toEqual(['committed']);
    const { rows } = await db.query(`SELECT name FROM things WHERE name IN ('committed', 'rolled back') ORDER BY name`);
    expect(rows).toEqual([{ name: 'committed' }]);
  });

  it('fails a transaction whose COMMIT fails (a deferred constraint), leaving nothing', async () => {
    await db.exec(`CREATE TABLE deferred_check (v int, CONSTRAINT v_unique UNIQUE (v) DEFERRABLE INITIALLY DEFERRED)`);
    const err = await db
      .transaction(async (tx) => {
        await tx.query('INSERT INTO deferred_check VALUES (1), (1)');
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: '23505' });
    expect((await db.query('SELECT count(*)::int AS n FROM deferred_check')).rows).toEqual([{ n: 0 }]);
  });

  it('makes a statement outside a transaction wait until the transaction ends', async () => {
    const order: string[] = [];
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => (inside = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const tx = db.transaction(async (t) => {
      await t.query(`INSERT INTO things (name) VALUES ('in tx')`);
      inside();
      await held;
      order.push('tx done');
    });
    await entered;
    const outside = db.query<{ n: number }>(`SELECT count(*)::int AS n FROM things WHERE name = 'in tx'`).then((r) => {
      order.push('outside');
      return r.rows[0]!.n;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual([]);
    release();
    await tx;
    expect(await outside).toBe(1);
    expect(order).toEqual(['tx done', 'outside']);
  });

  it('delivers a notification sent in a transaction once it commits, and never one rolled back', async () => {
    const got: string[] = [];
    const unlisten = await db.listen('things', (payload) => got.push(payload));
    await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO things (name) VALUES ('heard')`);
      await new Promise((r) => setTimeout(r, 20));
      expect(got).toEqual([]);
    });
    await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO things (name) VALUES ('never heard')`);
      throw new Error('roll back');
    }).catch(() => {});
    await db.query(`INSERT INTO things (name) VALUES ('heard too')`);
    await expect.poll(() => got).toEqual(['heard', 'heard too']);
    await unlisten();
    await db.query(`INSERT INTO things (name) VALUES ('after unlisten')`);
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual(['heard', 'heard too']);
  });

  it('snapshots the folder into a copy that opens with every committed row', async () => {
    const copy = await db.folder.snapshot();
    expect(copy.size).toBeGreaterThan(1000);
    const opened = await PgliteDb.open({ loadDataDir: copy });
    try {
      const { rows } = await opened.query<{ name: string }>(`SELECT name FROM things WHERE name IN ('committed', 'heard') ORDER BY name`);
      expect(rows).toEqual([{ name: 'committed' }, { name: 'heard' }]);
    } finally {
      await opened.close();
    }
  });

  it('fails every statement once closed, and opening a folder that cannot be one fails with its reason', async () => {
    const other = await PgliteThreadDb.open({ dataDir: join(root, 'closing') });
    await other.close();
    await expect(other.query('SELECT 1')).rejects.toThrow(/stopped/);
    expect(await other.ping()).toBe(false);

    const file = join(root, 'a-file');
    await writeFile(file, 'not a folder');
    await expect(PgliteThreadDb.open({ dataDir: file })).rejects.toThrow();
  });
});

describe.skipIf(onPostgres)('DeferredDb', () => {
  it('holds every statement until the database is ready, then passes them on in order', async () => {
    let open!: (db: Db) => void;
    const ready = new Promise<Db>((resolve) => (open = resolve));
    const deferred = new DeferredDb(ready, 'pglite', '/data');
    expect(deferred.folder?.path).toBe('/data');
    const first = deferred.query<{ v: number }>('SELECT 1 AS v');
    const second = deferred.transaction((tx) => tx.query<{ v: number }>('SELECT 2 AS v'));
    let settled = false;
    void first.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    const db = await PgliteDb.open();
    try {
      open(db);
      expect((await first).rows).toEqual([{ v: 1 }]);
      expect((await second).rows).toEqual([{ v: 2 }]);
      expect(await deferred.ping()).toBe(true);
    } finally {
      await deferred.close();
    }
    expect(await db.ping()).toBe(false);
  });

  it('fails its statements with the opening’s error, and answers ping false', async () => {
    const failure = new Error('the folder is locked');
    const deferred = new DeferredDb(Promise.reject(failure), 'pglite');
    await expect(deferred.query('SELECT 1')).rejects.toBe(failure);
    expect(await deferred.ping()).toBe(false);
    await deferred.close();
  });
});

describe.skipIf(onPostgres)('a thread that stops on its own', () => {
  it('tells onLost, and fails every statement with a "database unavailable" SQLSTATE', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tf-pglite-lost-'));
    const lost: Error[] = [];
    const db = await PgliteThreadDb.open({ dataDir: join(root, 'data'), onLost: (err) => lost.push(err) });
    try {
      // What a crash of PGlite does to the thread: it ends, with no close() asked.
      await (db as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      await expect.poll(() => lost.length).toBe(1);
      const err = await db.query('SELECT 1').catch((e: unknown) => e);
      expect(err).toMatchObject({ code: '57P01' });
      expect(await db.ping()).toBe(false);
    } finally {
      await db.close();
      await rm(root, { recursive: true, force: true });
    }
    expect(lost).toHaveLength(1);
  });
});
