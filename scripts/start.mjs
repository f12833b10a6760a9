// @ts-check
// `npm start`: builds what a changed source made stale (nothing, on a plain restart: scripts/build.mjs),
// then runs the compiled server in this same process. Plain JavaScript, so that no TypeScript loader is
// loaded on the way.
import { pathToFileURL } from 'node:url';
import { buildIfStale, SERVER_BUNDLE } from './build.mjs';

await buildIfStale();
await import(pathToFileURL(SERVER_BUNDLE).href);
