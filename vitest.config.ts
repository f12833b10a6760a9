import { defineConfig } from 'vitest/config';

// Every database test runs on the embedded PGlite; with TEST_DATABASE_URL it runs again on that
// PostgreSQL server, where the concurrency tests also run (PGlite serialises everything).
const unit = ['src/**/*.test.ts', 'src/**/*.test.tsx'];
const projects = [
  { extends: true as const, test: { name: 'pglite', include: unit, env: { TEST_DB: 'pglite' } } },
  ...(process.env.TEST_DATABASE_URL
    ? [{ extends: true as const, test: { name: 'postgres', include: unit, env: { TEST_DB: 'postgres' } } }]
    : []),
];

export default defineConfig({
  test: {
    globalSetup: ['src/server/test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects,
  },
});
