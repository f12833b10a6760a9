import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

// Every database test runs on the embedded PGlite; with TEST_DATABASE_URL the server tests run again on
// that PostgreSQL server, where the concurrency and multi-instance tests also run (PGlite serialises
// everything). Browser journeys run in Debian's Chromium when it is installed (.ci/run installs it).
const CHROMIUM = '/usr/bin/chromium';
const withBrowser = existsSync(CHROMIUM);
if (!withBrowser) {
  process.stderr.write(`\n[tests] ${CHROMIUM} not found: browser journeys (e2e/) left out. apt-get install chromium to run them.\n\n`);
}

const unit = ['src/**/*.test.ts', 'src/**/*.test.tsx'];
const projects = [
  { extends: true as const, test: { name: 'pglite', include: unit, env: { TEST_DB: 'pglite' }, globalSetup: ['src/server/test/global-setup.ts'] } },
  ...(process.env.TEST_DATABASE_URL
    ? [
        {
          extends: true as const,
          test: { name: 'postgres', include: ['src/server/**/*.test.ts'], env: { TEST_DB: 'postgres' }, globalSetup: ['src/server/test/global-setup.ts'] },
        },
      ]
    : []),
  // The one e2e configuration: alone with `npx vitest run --project e2e [file]`; E2E_SKIP_BUILD=1 reuses dist/web.
  ...(withBrowser
    ? [
        {
          extends: true as const,
          test: {
            name: 'e2e',
            include: ['e2e/**/*.e2e.test.ts'],
            globalSetup: ['e2e/global-setup.ts'],
            env: { TEST_DB: 'pglite' },
            testTimeout: 90_000,
            hookTimeout: 240_000,
            fileParallelism: false,
          },
        },
      ]
    : []),
];

export default defineConfig({
  // The web pages' react → preact/compat aliases (TanStack Query on Preact). The libraries that import
  // Preact or React are inlined so the aliases reach them and every import shares one Preact: the
  // stories' render tests (Storybook's Preact renderer, QueryClientProvider) need both.
  resolve: { alias: viteConfig.resolve?.alias },
  test: {
    server: { deps: { inline: [/@tanstack\/react-query/, /@storybook\/preact/] } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects,
  },
});
