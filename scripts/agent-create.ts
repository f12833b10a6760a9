import { parseArgs } from 'node:util';
import { createAgentBodySchema } from '../src/contracts/agents.ts';
import { loadConfig } from '../src/server/config.ts';
import { openDb } from '../src/server/db/index.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { AppError } from '../src/server/http/app-error.ts';
import { createAgent } from '../src/server/modules/agents/agents.service.ts';

const USAGE = `Usage: npm run agent:create -- --email <address> --name <name> [--role agent|admin] [--password <password>]
Without --password, a password is generated and printed once.
Uses DATABASE_URL, else the embedded database in DATA_DIR (stop the server first: one process owns it).`;

/**
 * `npm run agent:create`: creates an agent account from the command line (the operator's way in
 * before any admin exists, or when every admin lost their password). Output goes to stdout only.
 */
async function main() {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', default: 'agent' },
      password: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const parsed = createAgentBodySchema.safeParse({
    email: values.email,
    name: values.name,
    role: values.role,
    password: values.password,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  --${i.path.join('.')}: ${i.message}`);
    throw new Error(`${lines.join('\n')}\n${USAGE}`);
  }
  const config = loadConfig();
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(db);
    const { agent, password } = await createAgent({ q: db, input: parsed.data });
    process.stdout.write(`Created ${agent.role} ${agent.name} <${agent.email}> (id ${agent.id}).\n`);
    if (password) process.stdout.write(`Password (shown only this once): ${password}\n`);
  } catch (err) {
    if (err instanceof AppError && err.reason === 'agent_exists') throw new Error(`An agent with the e-mail ${parsed.data.email} already exists.`);
    throw err;
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
