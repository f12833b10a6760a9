import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../app.ts';
import { loadConfig, type Config } from '../config.ts';
import { createTestDb, type TestDb } from './test-db.ts';

export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ PORT: '0', DEMO_DATA: 'false', EMAIL_RETRY_BASE_SECONDS: '1', RATE_LIMIT: 'off' }), ...overrides };
}

/**
 * One app on its own database for a test file, built in beforeAll and closed in afterAll.
 * Read `ctx.app` and `ctx.testDb` inside tests.
 */
export function useTestApp(overrides: Partial<Config> = {}) {
  const ctx = {} as { app: FastifyInstance; testDb: TestDb };
  beforeAll(async () => {
    ctx.testDb = await createTestDb();
    ctx.app = await buildApp({ db: ctx.testDb.db, config: testConfig(overrides) });
    await ctx.app.ready();
  });
  afterAll(async () => {
    await ctx.app?.close();
    await ctx.testDb?.cleanup();
  });
  return ctx;
}
