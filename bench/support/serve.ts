import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';
import { PostgresDb } from '../../src/server/db/postgres.ts';

// A server on an existing schema, in its own process, so that the load generator does not share its CPU.
// Prints its port on the first line of stdout.
const db = new PostgresDb({ connectionString: process.env.BENCH_DATABASE_URL!, schema: process.env.BENCH_SCHEMA, max: 20 });
const app = await buildApp({ db, config: loadConfig({ PORT: '0', DEMO_DATA: 'false', RATE_LIMIT: 'off', EMAIL_WORKER: 'off' }) });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
process.on('SIGTERM', async () => {
  await app.close();
  await db.close();
  process.exit(0);
});
