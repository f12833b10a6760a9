import { migrate } from '../../src/server/db/migrate.ts';
import { PostgresDb } from '../../src/server/db/postgres.ts';
import { createSchema } from '../../src/server/test/test-db.ts';

export const BENCH_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh, migrated schema on the PostgreSQL server for one benchmark (the tests' createSchema); drop() removes it. */
export async function createBenchSchema(prefix = 'bench') {
  const { schema, drop } = await createSchema(BENCH_DATABASE_URL, prefix);
  const db = new PostgresDb({ connectionString: BENCH_DATABASE_URL, schema, max: 32 });
  await migrate(db);
  return {
    db,
    schema,
    url: BENCH_DATABASE_URL,
    drop: async () => {
      await db.close();
      await drop();
    },
  };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * p) - 1)] ?? NaN;
}
