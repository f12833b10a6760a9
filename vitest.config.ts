import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import Sequencer from './src/server/test/sequencer.ts';
import viteConfig from './vite.config.ts';

// Every database test runs on the embedded PGlite; with TEST_DATABASE_URL the server tests run again on
// that PostgreSQL server, where the concurrency and multi-instance tests also run (PGlite serialises
// everything). Browser journeys run in Debian's Chromium when it is installed (.ci/run installs it).
const CHROMIUM = '/usr/bin/chromium';
const withBrowser = existsSync(CHROMIUM);
if (!withBrowser) {
  process.stderr.write(`\n[tests] ${CHROMIUM} not found: browser journeys (e2e/) left out. apt-get install chromium to run them.\n\n`);
}

// Test files at a time, for every project together (TEST_WORKERS to change it). Vitest's default is one
// less than the CPUs: a single worker on a two-core machine, where most files spend much of their time
// waiting on a database, a server process or a browser. The journeys share these workers with the other
// files (src/server/test/sequencer.ts spreads them through the run) instead of running one by one after
// everything else.
const workers = Number(process.env.TEST_WORKERS) || Math.max(2, availableParallelism());

// Before every file of the server projects and the journeys: the chatbot model trained once for the run.
const setupFiles = ['src/server/test/setup-file.ts'];
const unit = ['src/**/*.test.ts', 'src/**/*.test.tsx'];
const projects = [
  // The one e2e configuration: alone with `npx vitest run --project e2e [file]`; E2E_SKIP_BUILD=1 reuses dist/web.
  // First, so that its global setup (the web build, beside the database templates) starts the run.
  ...(withBrowser
    ? [
        {
          extends: true as const,
          test: {
            name: 'e2e',
            include: ['e2e/**/*.e2e.test.ts'],
            globalSetup: ['e2e/global-setup.ts'],
            setupFiles,
            env: { TEST_DB: 'pglite' },
            testTimeout: 90_000,
            hookTimeout: 240_000,
          },
        },
      ]
    : []),
  { extends: true as const, test: { name: 'pglite', include: unit, env: { TEST_DB: 'pglite' }, globalSetup: ['src/server/test/global-setup.ts'], setupFiles } },
  ...(process.env.TEST_DATABASE_URL
    ? [
        {
          extends: true as const,
          test: {
            name: 'postgres',
            include: ['src/server/**/*.test.ts'],
            env: { TEST_DB: 'postgres' },
            globalSetup: ['src/server/test/global-setup.ts'],
            setupFiles,
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
  // Kept outside node_modules (npm ci empties it): the previous run's durations order the next run.
  cacheDir: '.tmp/vite',
  test: {
    server: { deps: { inline: [/@tanstack\/react-query/, /@storybook\/preact/] } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: workers,
    sequence: { sequencer: Sequencer },
    projects,
  },
});
