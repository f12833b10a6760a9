import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../../src/server/db/migrate.ts';
import { PostgresDb } from '../../src/server/db/postgres.ts';

export const BENCH_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh, migrated schema on the PostgreSQL server for one benchmark; drop() removes it. */
export async function createBenchSchema(prefix = 'bench') {
  const schema = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const db = new PostgresDb({ connectionString: BENCH_DATABASE_URL, schema, max: 32 });
  await migrate(db);
  return {
    db,
    schema,
    url: BENCH_DATABASE_URL,
    drop: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: BENCH_DATABASE_URL });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * p) - 1)] ?? NaN;
}
