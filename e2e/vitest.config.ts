import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Browser journeys on the production build in the machine's Chromium: `npx vitest run -c e2e/vitest.config.ts`.
// E2E_SKIP_BUILD=1 reuses an existing dist/web.
export default defineConfig({
  root: fileURLToPath(new URL('../', import.meta.url)),
  test: {
    name: 'e2e',
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    env: { TEST_DB: process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite' },
  },
});
