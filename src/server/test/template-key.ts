import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Everything a migrated test database depends on: every file under migrations/ (numbered migrations and
 * functions/), the code that applies them, and the PGlite version (its data-directory format). A new or
 * edited migration gives a new key, so a template migrated from older files is never used: the next
 * run (or the next test file, if a migration lands during a run) migrates a new one.
 */
export function migrationsKey(root = ROOT): string {
  const hash = createHash('sha256');
  const files = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? files(`${dir}/${e.name}`) : e.isFile() ? [`${dir}/${e.name}`] : []))
      .sort();
  for (const file of [...files('migrations'), 'src/server/db/migrate.ts', 'node_modules/@electric-sql/pglite/package.json']) {
    hash.update(`${file}\0`);
    try {
      hash.update(readFileSync(join(root, file)));
    } catch {
      hash.update('missing');
    }
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}
