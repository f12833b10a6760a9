import type { StorybookConfig } from '@storybook/preact-vite';

/**
 * Storybook for the widget's and the dashboard's components (`npm run storybook`, `npm run build-storybook`).
 * The builder loads the project's vite.config.ts (Preact preset, react → preact/compat aliases) and keeps
 * none of its `build` options, so the pages' multi-page inputs and dist/web output do not reach it.
 */
const config: StorybookConfig = {
  stories: ['../src/web/**/*.stories.tsx'],
  framework: { name: '@storybook/preact-vite', options: {} },
  // Nothing is fetched at run time: no telemetry, no "what's new" page, no update check.
  core: { disableTelemetry: true, disableWhatsNewNotifications: true, enableCrashReports: false },
  // The preview bundle holds Storybook's runtime and every story (about 1 MB): a tool for developers,
  // never served to customers, so Vite's 500 KB chunk warning says nothing here.
  viteFinal: (config) => ({ ...config, build: { ...config.build, chunkSizeWarningLimit: 2_000 } }),
};

export default config;
