import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const READY_LOG = 'Tasty Food Support is ready';

export type ServerProcess = {
  port: number;
  /** The first admin's generated password, as printed once on the first start. */
  admin: { email: string; password: string };
  /** Everything the process wrote, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
};

/**
 * The real server process (`src/server/main.ts`, what `npm start` runs after its build) on a new embedded
 * database in a temporary DATA_DIR, with ONLY `PORT` and `DATA_DIR` set: every other setting at its
 * default, as on a first run after `npm ci && npm start`. The environment is not inherited (so no
 * PUBLIC_URL or ALLOWED_ORIGINS of the test run leaks in) beyond what starting Node needs (PATH, HOME).
 */
export async function startServerProcess(): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'tf-first-run-'));
  const child: ChildProcess = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['src/server/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir(), PORT: String(port), DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(READY_LOG)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`the server exited (${code}) before it was ready:\n${output}`)));
  });
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  const email = /e-mail:\s+(\S+)/.exec(output)?.[1];
  const password = /password:\s+(\S+)/.exec(output)?.[1];
  if (!email || !password) {
    await stop();
    throw new Error(`the first start printed no admin password:\n${output}`);
  }
  return { port, admin: { email, password }, output: () => output, stop };
}
