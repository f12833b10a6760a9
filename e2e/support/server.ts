import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import type { Config } from '../../src/server/config.ts';
import type { Db } from '../../src/server/db/index.ts';
import { seedFaq } from '../../src/server/modules/faq/faq.service.ts';
import { seedDemoOrders } from '../../src/server/modules/orders/demo-orders.ts';
import { seedDemoData } from '../../src/server/seed/demo-data.ts';
import { freePort } from '../../src/server/test/server-process.ts';
import { testConfig } from '../../src/server/test/test-app.ts';
import { createPostgresTestDb, createTestDb, type TestDb } from '../../src/server/test/test-db.ts';
import { WEB_DIST_DIR } from '../../src/server/modules/web/web.routes.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Builds the web pages (`npm run build` → dist/web; it rebuilds only what changed since the last build)
 * unless E2E_SKIP_BUILD=1 and a build exists. Called once per run by e2e/global-setup.ts, so test files
 * never build concurrently; asynchronous, so the run's other preparations go on meanwhile.
 */
export async function buildWeb(): Promise<void> {
  if (process.env.E2E_SKIP_BUILD === '1' && existsSync(`${WEB_DIST_DIR}index.html`)) return;
  const child = spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => void (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => void (output += d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`npm run build failed:\n${output}`);
}

export type TestServer = {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  app: FastifyInstance;
  db: Db;
  testDb: TestDb;
  config: Config;
  close: () => Promise<void>;
};

/**
 * A real server for browser tests: the whole app (API, WebSocket, built web pages) on a fresh migrated
 * database (createTestDb: PGlite, or a schema of TEST_DATABASE_URL), listening on a free loopback port.
 * `PUBLIC_URL` and `ALLOWED_ORIGINS` are that address (plus `extraOrigins`, e.g. a host page embedding the
 * widget), so cookie and WebSocket calls from the pages pass the Origin check. Seeded as main.ts does:
 * the FAQ always, the demo tickets and orders unless `demoData: false`.
 */
export async function startTestServer(
  options: {
    config?: Partial<Config>;
    demoData?: boolean;
    extraOrigins?: string[] | ((port: number) => string[]);
    /** Run on a new schema of this PostgreSQL server instead of the embedded database (journeys run on both). */
    postgresUrl?: string;
  } = {},
): Promise<TestServer> {
  if (!existsSync(`${WEB_DIST_DIR}index.html`)) throw new Error('dist/web is not built: run the e2e project (its global setup builds it) or npm run build');
  const testDb = options.postgresUrl ? await createPostgresTestDb(options.postgresUrl) : await createTestDb();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const extraOrigins = typeof options.extraOrigins === 'function' ? options.extraOrigins(port) : (options.extraOrigins ?? []);
  const config = testConfig({ port, publicUrl: url, allowedOrigins: [url, ...extraOrigins], ...options.config });
  await seedFaq(testDb.db);
  if (options.demoData !== false) {
    await seedDemoData(testDb.db);
    await seedDemoOrders(testDb.db);
  }
  const app = await buildApp({ db: testDb.db, config });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    url,
    app,
    db: testDb.db,
    testDb,
    config,
    close: async () => {
      await app.close();
      await testDb.cleanup();
    },
  };
}

export { freePort };
