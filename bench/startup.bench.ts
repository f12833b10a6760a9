import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from '../scripts/build.mjs';
import { freePort } from '../src/server/test/server-process.ts';
import { percentile } from './support/pg-schema.ts';

// Start-up figure (issue 12): a restart of `npm start` (node scripts/start.mjs: the build check, then the
// compiled server) on an existing embedded database, until GET /healthz answers 200, beside a process that
// only opens the same PGlite folder (same extensions) and answers one query. Both are spawned processes
// (Node's own boot is in both), interleaved, on the same data. Aim: ratio ≤ 1.5. The TypeScript path
// (tsx src/server/main.ts, how the tests start it) is measured once beside them, for scale. Each start
// opens a folder the one before closed cleanly.
const ROUNDS = 5;
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const START = fileURLToPath(new URL('../scripts/start.mjs', import.meta.url));
const MAIN_TS = fileURLToPath(new URL('../src/server/main.ts', import.meta.url));
const READY = 'pglite ready';
const OPEN_ALONE = `
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
const pg = new PGlite({ dataDir: process.env.DATA_DIR, extensions: { pg_trgm } });
await pg.query('SELECT count(*) FROM support_messages');
process.stdout.write('${READY}\\n');
await pg.close();
`;

type Timed = { ms: number; output: string };

/**
 * Spawns `args`, returns the time until `ready()` resolves true, then waits for the process to end: stopped
 * with SIGTERM (the server closes its database on it), or, with `exitsByItself`, left to close and exit.
 */
async function timeUntil(args: string[], env: Record<string, string>, ready: (output: string) => Promise<boolean>, exitsByItself = false): Promise<Timed> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null && !(await ready(output))) throw new Error(`process exited with ${child.exitCode}:\n${output}`);
      if (await ready(output)) return { ms: performance.now() - started, output };
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    if (child.exitCode === null && !exitsByItself) child.kill('SIGTERM');
    await exited;
  }
}

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;
  } catch {
    return false;
  }
}

const built = await buildIfStale();
if (built.length) process.stdout.write(`(built ${built.join(', ')} first: the figures below are restarts with nothing to build)\n`);
const dataDir = await mkdtemp(join(tmpdir(), 'tf-startup-bench-'));
const port = await freePort();
const env = { DATA_DIR: dataDir, DATABASE_URL: '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DEMO_DATA: 'true', ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'correct horse battery staple' };
const startServer = () => timeUntil([START], env, () => healthy(port));
// Left to close PGlite and exit: killed before its close, it left the folder for the next start to
// recover, and every restart measured came after one (about 40 ms more).
const openAlone = () => timeUntil(['--input-type=module', '-e', OPEN_ALONE], env, async (out) => out.includes(READY), true);

try {
  const first = await startServer();
  process.stdout.write(`first start on a new DATA_DIR (migrations, demo data): ${first.ms.toFixed(0)} ms\n`);
  const restart: number[] = [];
  const alone: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const r = await startServer();
    // Someone editing a source while the bench runs would make it build: such a round says nothing.
    if (r.output.includes('building ')) throw new Error('npm start rebuilt during the bench: sources changed while it ran');
    restart.push(r.ms);
    alone.push((await openAlone()).ms);
  }
  const tsx = await timeUntil(['--import', 'tsx', MAIN_TS], env, () => healthy(port));
  const median = (v: number[]) => percentile(v, 0.5);
  const ratio = median(restart) / median(alone);
  process.stdout.write(
    `restart to /healthz 200 (node scripts/start.mjs) : median ${median(restart).toFixed(0)} ms [${restart.map((v) => v.toFixed(0)).join(', ')}]\n` +
      `PGlite opening the same folder, one query     : median ${median(alone).toFixed(0)} ms [${alone.map((v) => v.toFixed(0)).join(', ')}]\n` +
      `ratio ${ratio.toFixed(2)} (aim ≤ 1.5: ${ratio <= 1.5 ? 'met' : 'missed'})\n` +
      `for scale, tsx src/server/main.ts (the TypeScript path the tests use): ${tsx.ms.toFixed(0)} ms\n`,
  );
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
