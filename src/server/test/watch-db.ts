import type { Db } from '../db/index.ts';

/**
 * The same database, counting what goes through it: the statements sent outside a transaction (their SQL)
 * and the transactions opened. For the checks a restart makes in one statement, without a transaction or
 * its lock (migrations, the first admin, the FAQ, the demo restaurants).
 */
export function watchDb<T extends Db>(db: T): { db: T; statements: string[]; transactions: () => number } {
  const statements: string[] = [];
  let transactions = 0;
  const watched: T = Object.create(db);
  watched.query = ((sql: string, params?: unknown[]) => {
    statements.push(sql);
    return db.query(sql, params);
  }) as T['query'];
  watched.transaction = ((fn: Parameters<T['transaction']>[0]) => {
    transactions += 1;
    return db.transaction(fn);
  }) as T['transaction'];
  return { db: watched, statements, transactions: () => transactions };
}
