import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { DEFAULT_DATA_DIR } from './data-dir.ts';
import { PgliteThreadDb } from './pglite-worker.ts';

export type EarlyDatabase = {
  dataDir: string;
  db: Promise<PgliteThreadDb>;
  /** Told if the thread stops later without close(); the last openEarly call's handler. */
  onLost: (err: Error) => void;
  /** When the thread was started (performance.now(): ms since the process started). */
  startedMs: number;
};

/** The database this process started opening early, if any: one per process. */
let started: EarlyDatabase | null = null;

/** V8's default (1,800,000) times a hundred. */
const WASM_TIERING_BUDGET = 180_000_000;

/**
 * How V8 compiles PGlite's WebAssembly, set before its thread starts (the flags are the process's).
 *
 * - On (cores − 2) background tasks, at least one, instead of its pool's four: on two cores the four took
 *   the cores from the event loop and the database's thread (restart 1.38–1.49 → 0.88–1.08 s).
 * - With a hundred times V8's tiering budget: a WebAssembly function is compiled again by TurboFan once it
 *   has run a hundred times as much as by default. PostgreSQL's start runs thousands of functions a little
 *   each, and with the default budget many were optimized during the start, on a core the start needed
 *   (restart figures in docs/operations.md, with how far they can be trusted). The functions that
 *   stay hot are optimized all the same, a little later: measured on PGlite, a loop of inserts, index reads
 *   and updates ran as fast as with the default, and an aggregate over 150,000 rows from its second run on;
 *   a thousand times kept that aggregate 25 % slower, so it is not used (docs/operations.md).
 */
function tuneWasmCompilation(): void {
  setFlagsFromString(`--wasm-num-compilation-tasks=${Math.max(1, availableParallelism() - 2)}`);
  setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
}

/**
 * Starts opening the embedded database from the environment alone, before the configuration and the rest
 * of the server are even loaded: its thread then opens the folder while they load. `npm start`
 * (scripts/start.mjs) calls it before its build check, main.ts again: the second call for the same folder
 * returns the same database, with its `onLost`. DATA_DIR and DATABASE_URL are read as loadConfig reads them
 * (an empty variable is unset; DATA_DIR defaults to DEFAULT_DATA_DIR); main.ts uses this database only when
 * the configuration names the same folder, and closes it otherwise. Null when DATABASE_URL names a server.
 */
export function openEarly(env: NodeJS.ProcessEnv, onLost: (err: Error) => void): EarlyDatabase | null {
  if (env.DATABASE_URL) return null;
  const dataDir = env.DATA_DIR || DEFAULT_DATA_DIR;
  if (started && started.dataDir === dataDir) {
    started.onLost = onLost;
    return started;
  }
  mkdirSync(dataDir, { recursive: true });
  tuneWasmCompilation();
  const early: EarlyDatabase = {
    dataDir,
    onLost,
    startedMs: performance.now(),
    // Told later (after open), by whichever call's handler is current then.
    db: PgliteThreadDb.open({ dataDir, onLost: (err) => early.onLost(err) }),
  };
  // Awaited by main.ts, or closed: a failure must not go unhandled meanwhile.
  early.db.catch(() => {});
  started = early;
  return early;
}

/**
 * Closes the database openEarly started, and forgets it (`npm start` after a rebuild of the server: the new
 * bundle opens the folder itself).
 */
export async function closeEarly(): Promise<void> {
  const early = started;
  started = null;
  if (early) await early.db.then((db) => db.close(), () => {});
}
