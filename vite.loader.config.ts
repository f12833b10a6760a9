import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The embeddable loader (/widget.js): one classic script (IIFE, no module, no framework), built after
// the pages into the same dist/web so both are served together. Its gzipped size is budgeted at 10 KB.
export default defineConfig({
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./dist/web/', import.meta.url)),
    emptyOutDir: false,
    target: 'es2019',
    copyPublicDir: false,
    lib: {
      entry: fileURLToPath(new URL('./src/web/loader/loader.ts', import.meta.url)),
      formats: ['iife'],
      name: 'TastyFoodWidgetLoader',
      fileName: () => 'widget.js',
    },
  },
});
