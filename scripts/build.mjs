// @ts-check
// Plain JavaScript on purpose: `npm start` runs this check at every start, and loading a TypeScript
// loader first would cost more than the check itself.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const SERVER_BUNDLE = join(ROOT, 'dist/server/main.mjs');
/** The embedded database's early start (src/server/db/open-early.ts), for `npm start` to call before its build check. */
export const EARLY_BUNDLE = join(ROOT, 'dist/server/open-early.mjs');
const STAMP = join(ROOT, 'dist/build-stamp.json');

/**
 * What each output is built from, and what must exist afterwards. A target is rebuilt when the hash of
 * its inputs' contents differs from the one recorded at its last build, or an output is missing.
 * Contents, not mtimes: a checkout or a copy touches every mtime, and rebuilding the web pages costs
 * 5 to 15 s; hashing the 2.5 MB of sources costs a few milliseconds.
 */
const TARGETS = {
  web: {
    inputs: ['src/web', 'src/contracts', 'locales', 'vite.config.ts', 'vite.loader.config.ts', 'package-lock.json', 'scripts/build.mjs'],
    outputs: ['dist/web/index.html', 'dist/web/agent/index.html', 'dist/web/widget.js'],
    build: buildWeb,
  },
  server: {
    inputs: ['src/server', 'src/contracts', 'package-lock.json', 'scripts/build.mjs'],
    outputs: ['dist/server/main.mjs', 'dist/server/pglite-thread.cjs', 'dist/server/open-early.mjs', 'dist/server/bot-model.bin'],
    build: buildServer,
  },
};

/** Test files and stories are not part of any build: editing them must not cost a rebuild. */
const NOT_BUILT = /\.(test|stories)\.tsx?$/;

/** @param {string} path relative to the root */
function listFiles(path) {
  const full = join(ROOT, path);
  const stat = statSync(full, { throwIfNoEntry: false });
  if (!stat) return [];
  if (!stat.isDirectory()) return [path];
  return readdirSync(full, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && !NOT_BUILT.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    .sort();
}

/** @param {string[]} inputs */
export function hashInputs(inputs) {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap(listFiles)) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(ROOT, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** @returns {Record<string, string>} */
function readStamp() {
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8'));
  } catch {
    return {};
  }
}

/** The targets whose inputs changed since their last build, or whose outputs are missing. */
export function staleTargets() {
  const stamp = readStamp();
  return Object.entries(TARGETS)
    .filter(([name, t]) => stamp[name] !== hashInputs(t.inputs) || t.outputs.some((o) => !existsSync(join(ROOT, o))))
    .map(([name]) => /** @type {keyof typeof TARGETS} */ (name));
}

/** @param {string} args */
function run(args) {
  const [bin, ...rest] = args.split(' ');
  const res = spawnSync(process.execPath, [join(ROOT, bin), ...rest], { cwd: ROOT, stdio: 'inherit' });
  if (res.status !== 0) throw new Error(`build step failed: ${args}`);
}

/** The pages (vite, dist/web) and the embed loader (/widget.js), as `vite build` always built them. */
async function buildWeb() {
  run('node_modules/vite/bin/vite.js build --logLevel warn');
  run('node_modules/vite/bin/vite.js build -c vite.loader.config.ts --logLevel warn');
}

/**
 * Packages the server bundle imports from node_modules at run time instead of containing them: native
 * addons (and the optional ones a package tries in a try/catch), PGlite (its WebAssembly and data files
 * sit beside its code), and Sentry (it instruments modules as Node loads them; imported only with a DSN).
 */
export const EXTERNAL_PACKAGES = [
  '@electric-sql/pglite',
  '@electric-sql/pglite/*',
  '@node-rs/argon2',
  '@sentry/node',
  'sharp',
  'pg-native',
  'bufferutil',
  'utf-8-validate',
];

/**
 * The server as one ES module (dist/server/main.mjs, with its packages bar EXTERNAL_PACKAGES), and the trained
 * chatbot model beside it (bot-model.bin: the start loads it instead of training).
 *
 * The server finds its files (migrations/, locales/, package.json, the bot's data, dist/web) relative to
 * each source file's `import.meta.url`. Bundled, that would be the bundle's URL, so every
 * `import.meta.url` is rewritten to its own source file's URL, expressed relative to the bundle: the
 * same paths resolve from src (tsx, tests) and from dist, wherever the checkout lives.
 */
async function buildServer() {
  const { build } = await import('esbuild');
  const { readFile, rm } = await import('node:fs/promises');
  const outDir = dirname(SERVER_BUNDLE);
  const result = await build({
    // The server, and the embedded database's early start (scripts/start.mjs calls it before the build
    // check; main.mjs shares its chunk, so its state).
    entryPoints: {
      main: join(ROOT, 'src/server/main.ts'),
      'open-early': join(ROOT, 'src/server/db/open-early.ts'),
    },
    // pglite-worker.ts finds its thread's module beside the bundle.
    define: { TF_BUNDLED: 'true' },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    // Chunks for what is imported lazily (the database driver not in use stays unloaded).
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    // The packages are bundled too: loading hundreds of small files of node_modules one by one (zod,
    // fastify, pino, ...) cost more than a second of a restart, the ES module loader waiting on file reads.
    // Left outside: what loads native addons or WebAssembly beside its own files, and what patches modules
    // as they load (Sentry).
    external: EXTERNAL_PACKAGES,
    // Bundled CommonJS packages call require() for Node's built-ins; an ES module has none of its own.
    banner: { js: "import { createRequire as __tfCreateRequire } from 'node:module';\nconst require = __tfCreateRequire(import.meta.url);" },
    // Fewer bytes to read and compile at each start; names kept (error and class names, stack traces),
    // and the source map gives the sources back.
    minify: true,
    keepNames: true,
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [
      {
        name: 'source-file-url',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, async (args) => {
            const source = await readFile(args.path, 'utf8');
            const url = `new URL(${JSON.stringify(relative(outDir, args.path))}, import.meta.url).href`;
            return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
          });
        },
      },
    ],
  });
  // The embedded database's thread (src/server/db/pglite-worker.ts starts it), on its own, as CommonJS: a
  // new thread starts with neither module loader ready, and requiring PGlite's CommonJS build got it to
  // its open 20–25 ms sooner than importing the ES modules (docs/operations.md). Small: the thread's
  // message handling and PGlite's calls (PGlite stays outside, as above).
  const thread = await build({
    entryPoints: [join(ROOT, 'src/server/db/pglite-thread.ts')],
    outfile: join(outDir, 'pglite-thread.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20.19',
    external: ['@electric-sql/pglite', '@electric-sql/pglite/*'],
    minify: true,
    keepNames: true,
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  // Chunks of earlier builds (their names carry a hash of their contents) would pile up.
  const written = new Set([...Object.keys(result.metafile.outputs), ...Object.keys(thread.metafile.outputs)].map((out) => join(ROOT, out)));
  for (const file of readdirSync(outDir)) {
    if (/\.[mc]js(\.map)?$/.test(file) && !written.has(join(outDir, file))) await rm(join(outDir, file), { force: true });
  }
  const { tsImport } = await import('tsx/esm/api');
  const { writeBotModelFile } = await tsImport('../src/server/modules/bot/bot-model-file.ts', import.meta.url);
  await writeBotModelFile();
}

/**
 * Builds what is stale (or everything with `force`), and records the inputs' hashes. The hashes are
 * taken before building, so a file edited during a build makes the next start build again.
 * @param {{ force?: boolean, log?: (line: string) => void }} [options]
 * @returns {Promise<string[]>} the targets built
 */
export async function buildIfStale({ force = false, log = (line) => process.stdout.write(`${line}\n`) } = {}) {
  const names = force ? /** @type {(keyof typeof TARGETS)[]} */ (Object.keys(TARGETS)) : staleTargets();
  for (const name of names) {
    const target = TARGETS[name];
    const hash = hashInputs(target.inputs);
    const t0 = performance.now();
    log(`building ${name} (${target.outputs[0]}) ...`);
    await target.build();
    log(`built ${name} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const stamp = { ...readStamp(), [name]: hash };
    mkdirSync(dirname(STAMP), { recursive: true });
    writeFileSync(`${STAMP}.partial`, JSON.stringify(stamp, null, 2));
    renameSync(`${STAMP}.partial`, STAMP);
  }
  return names;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const built = await buildIfStale({ force: process.argv.includes('--force') });
  if (built.length === 0) process.stdout.write('build: everything is up to date\n');
}
