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
    target: 'es2020',
    rollupOptions: { input },
  },
});
