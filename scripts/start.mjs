// @ts-check
// `npm start`: builds what a changed source made stale (nothing, on a plain restart: scripts/build.mjs),
// then runs the compiled server in this same process. Plain JavaScript, so that no TypeScript loader is
// loaded on the way.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { buildIfStale, EARLY_BUNDLE, SERVER_BUNDLE } from './build.mjs';

// The embedded database's thread starts first, and opens the folder while the build is checked and the
// server loads (main.mjs takes it over: the same module, src/server/db/open-early.ts). Not on a first start
// (nothing built yet: main.mjs starts it), nor with DATABASE_URL.
/** @type {typeof import('../src/server/db/open-early.ts') | null} */
const early = existsSync(EARLY_BUNDLE) ? await import(pathToFileURL(EARLY_BUNDLE).href).catch(() => null) : null;
early?.openEarly(process.env, (err) => {
  process.stderr.write(`the embedded database stopped: ${err.message}\n`);
  process.exit(1);
});

const built = await buildIfStale();
// A rebuilt server is a new bundle, which opens the folder itself: the thread of the old one closes first.
if (built.includes('server')) await early?.closeEarly();
await import(pathToFileURL(SERVER_BUNDLE).href);
