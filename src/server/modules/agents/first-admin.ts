import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import { countAgents } from './agents.repo.ts';
import { createAgent } from './agents.service.ts';

// Instances starting together take this lock in turn: only the first finds no agent and creates one.
const FIRST_ADMIN_LOCK_KEY = 7_240_520;
export const DEFAULT_ADMIN_EMAIL = 'admin@tastyfood.example';
export const FIRST_ADMIN_NAME = 'Admin';

/**
 * On a database without any agent, creates an admin from ADMIN_EMAIL / ADMIN_PASSWORD. Without
 * ADMIN_PASSWORD a password is generated and written ONCE to `out` (stdout) — on purpose not through
 * the JSON logger, whose lines are shipped to log stores. Returns the address created, or null.
 */
export async function ensureFirstAdmin(options: {
  db: Db;
  config: Pick<Config, 'adminEmail' | 'adminPassword'>;
  logger?: FastifyBaseLogger;
  out?: (text: string) => void;
}): Promise<{ email: string; generatedPassword: boolean } | null> {
  const { db, config } = options;
  const out = options.out ?? ((text: string) => process.stdout.write(text));
  const email = (config.adminEmail?.trim() || DEFAULT_ADMIN_EMAIL).toLowerCase();
  // A restart: one statement, no lock. Only a database without any agent takes the locked path.
  if ((await countAgents(db)) > 0) return null;
  const created = await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [FIRST_ADMIN_LOCK_KEY]);
    if ((await countAgents(tx)) > 0) return null;
    return createAgent({
      q: tx,
      input: { email, name: FIRST_ADMIN_NAME, role: 'admin', password: config.adminPassword || undefined },
    });
  });
  if (!created) return null;
  if (created.password) {
    out(
      `\nFirst admin account created — this password is shown only once:\n` +
        `  e-mail:   ${created.agent.email}\n  password: ${created.password}\n` +
        `Log in at /agent and keep it somewhere safe (or set ADMIN_EMAIL / ADMIN_PASSWORD on a new database).\n\n`,
    );
  }
  options.logger?.info({ email: created.agent.email, generatedPassword: Boolean(created.password) }, 'first admin created');
  if (config.adminPassword && config.adminPassword.length < 10) {
    options.logger?.warn('ADMIN_PASSWORD is shorter than 10 characters: change it from the admin page');
  }
  return { email: created.agent.email, generatedPassword: Boolean(created.password) };
}
