import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export type ServerProcess = {
  child: ChildProcess;
  port: number;
  url: string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** The last 4,000 characters the process printed. */
  output: () => string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop: (graceMs?: number) => Promise<number | null>;
};

/** A free TCP port on the loopback, chosen by the kernel. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A quiet default for test servers: embedded database unless DATABASE_URL is given, no demo data, dev mailbox. */
const QUIET_ENV = {
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  DATABASE_URL: '',
  SMTP_URL: '',
  DEMO_DATA: 'false',
  ADMIN_EMAIL: 'admin@example.com',
  ADMIN_PASSWORD: 'correct horse battery staple',
};

/**
 * The real entry point (`src/server/main.ts`, as `npm start` runs it) in a child process. `env` is laid
 * over this process's environment and QUIET_ENV; with `bare`, over nothing but what starting Node needs
 * (PATH, HOME): every setting at its default, as on a first run, and none of the test run's leaks in.
 */
export async function startServerProcess(env: Record<string, string> = {}, port?: number, options: { bare?: boolean } = {}): Promise<ServerProcess> {
  const p = port ?? (await freePort());
  const base = options.bare ? { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir() } : { ...process.env, ...QUIET_ENV };
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env: { ...base, PORT: String(p), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (graceMs = 15_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return { child, port: p, url: `http://127.0.0.1:${p}`, exited, output: () => output.slice(-4000), stop };
}

/** Waits until `GET /healthz` answers 200 (or throws with the process's output). */
export async function waitHealthy(server: Pick<ServerProcess, 'url' | 'output' | 'child'>, timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`server exited with ${server.child.exitCode}; its output:\n${server.output()}`);
    try {
      const res = await fetch(`${server.url}/healthz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server did not become healthy; its output:\n${server.output()}`);
}

/** A DATABASE_URL that puts every connection of a spawned server in `schema` (see test-db.ts). */
export function urlWithSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}
