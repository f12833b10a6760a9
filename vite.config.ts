import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./src/web/', import.meta.url));

// The pages: the customer chat at /, the agent dashboard at /agent, the debug page at /debug.
// The embeddable loader /widget.js is built by vite.loader.config.ts.
const pages = {
  chat: 'index.html',
  agent: 'agent/index.html',
  debug: 'debug/index.html',
};
const input = Object.fromEntries(
  Object.entries(pages)
    .map(([name, file]) => [name, `${root}${file}`] as const)
    .filter(([, file]) => existsSync(file)),
);

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  plugins: [preact()],
  resolve: {
    alias: { react: 'preact/compat', 'react-dom': 'preact/compat', 'react/jsx-runtime': 'preact/jsx-runtime' },
  },
  build: {
    outDir: fileURLToPath(new URL('./dist/web/', import.meta.url)),
    emptyOutDir: false,
    // ES2022 (Chrome/Edge 94+, Firefox 93+, Safari 16.4+; below Vite's default baseline): TanStack Query's
    // private class fields stay native instead of WeakMap helpers (1.3 KB gzipped of the widget's budget).
    target: 'es2022',
    // No modulepreload polyfill (0.3 KB gzipped): browsers without <link rel="modulepreload"> (Firefox
    // < 115, Safari < 17) still run every page, they only fetch the imported chunks on discovery.
    modulePreload: { polyfill: false },
    rollupOptions: {
      input,
      output: {
        // The per-language texts get names the bundle budget test recognises, since a conversation loads
        // only one language: the widget's (src/web/widget/locale/<lang>.ts, loaded on demand) and the
        // locale files a chunk of their own (locales/<lang>/common.json, shared with the staff pages).
        chunkFileNames: (chunk) => {
          const widget = /\/src\/web\/widget\/locale\/([a-z]+)\.ts$/.exec(chunk.facadeModuleId ?? '');
          if (widget) return `assets/widget-locale-${widget[1]}-[hash].js`;
          const files = chunk.moduleIds.map((id) => /\/locales\/([a-z]+)\/([\w-]+)\.json$/.exec(id));
          const lang = files[0]?.[1];
          if (lang && files.every((f) => f?.[1] === lang)) return `assets/locale-${lang}-${files[0]![2]}-[hash].js`;
          return 'assets/[name]-[hash].js';
        },
      },
    },
  },
});
