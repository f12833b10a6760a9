import type { Db, Queryable } from './types.ts';

/** Work to run once a transaction has committed, given the database it committed on. */
export type AfterCommitHook = (db: Db) => void;

const pending = new WeakMap<Queryable, AfterCommitHook[]>();

/**
 * Runs `hook` after the transaction `q` commits, and never when it rolls back. Outside a transaction
 * (`q` is the Db itself: the statement already committed) it runs at once. Hooks should not wait for
 * anything: the caller's answer does not wait for them, and a hook that throws is ignored.
 */
export function afterCommit(q: Queryable, hook: AfterCommitHook): void {
  const hooks = pending.get(q);
  if (hooks) hooks.push(hook);
  else if (isDb(q)) runAfterCommit(q, [hook]);
  else throw new Error('afterCommit: neither a transaction of Db.transaction() nor a Db');
}

/** For Db implementations: `tx` collects afterCommit hooks into `hooks` (run them after COMMIT). */
export function collectAfterCommit<Q extends Queryable>(tx: Q, hooks: AfterCommitHook[]): Q {
  pending.set(tx, hooks);
  return tx;
}

/** For Db implementations: runs the hooks of a committed transaction, in the order they were added. */
export function runAfterCommit(db: Db, hooks: AfterCommitHook[]): void {
  for (const hook of hooks) {
    try {
      hook(db);
    } catch {
      // The transaction committed: a failing hook must not turn it into an error for the caller.
    }
  }
}

function isDb(q: Queryable): q is Db {
  return typeof (q as Partial<Db>).transaction === 'function';
}
