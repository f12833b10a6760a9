import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './server-process.ts';

const run = promisify(execFile);
const PG_ROOT = '/usr/lib/postgresql';

/** The bin folder of the newest PostgreSQL installed the Debian way, or null when there is none. */
export function findPgBin(): string | null {
  if (!existsSync(PG_ROOT)) return null;
  const versions = readdirSync(PG_ROOT)
    .filter((v) => existsSync(join(PG_ROOT, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(PG_ROOT, versions[0]!, 'bin') : null;
}

/** How `pg_ctl stop` ends the server: `fast` is a clean shutdown, `immediate` a crash (recovery at the next start). */
export type StopMode = 'fast' | 'immediate';

export type PgCluster = {
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication). */
  url: string;
  dir: string;
  start: () => Promise<void>;
  stop: (mode?: StopMode) => Promise<void>;
  restart: (mode?: StopMode) => Promise<void>;
  /** Stops the server (immediate) if it runs and deletes every file. */
  destroy: () => Promise<void>;
  /** The end of the server's log, for failure messages. */
  log: () => Promise<string>;
};

/**
 * A PostgreSQL cluster of a test's own, so that the test may stop, crash and restart it without
 * touching the shared server: initdb in a temporary folder, listening on 127.0.0.1 on a free port,
 * its Unix socket in that folder. PostgreSQL refuses to run as root, so as root every command runs as
 * the `postgres` user. fsync is off (a test cluster need not survive the machine crashing), but
 * synchronous_commit stays on: a commit is written to the WAL before the client hears of it, so a
 * crash of the server (`stop('immediate')`) loses nothing that was acknowledged.
 */
export async function createPgCluster(options: { bin?: string } = {}): Promise<PgCluster> {
  const bin = options.bin ?? findPgBin();
  if (!bin) throw new Error(`no PostgreSQL binaries under ${PG_ROOT}`);
  const asRoot = process.getuid?.() === 0;
  const root = await mkdtemp('/tmp/tf-pg-');
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(root, Number(stdout.trim()), Number(gid.trim()));
  }
  const dir = join(root, 'data');
  const logFile = join(root, 'server.log');
  const port = await freePort();

  const pg = (tool: string, args: string[]) => {
    const cmd = join(bin, tool);
    return asRoot ? run('runuser', ['-u', 'postgres', '--', cmd, ...args], { cwd: root }) : run(cmd, args, { cwd: root });
  };

  await pg('initdb', ['-D', dir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const serverOptions = [
    `-p ${port}`,
    `-k ${root}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c full_page_writes=off',
    '-c max_connections=100',
  ].join(' ');

  let running = false;
  const start = async () => {
    await pg('pg_ctl', ['start', '-D', dir, '-l', logFile, '-w', '-t', '120', '-o', serverOptions]);
    running = true;
  };
  const stop = async (mode: StopMode = 'fast') => {
    await pg('pg_ctl', ['stop', '-D', dir, '-m', mode, '-w', '-t', '120']);
    running = false;
  };
  const cluster: PgCluster = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dir,
    start,
    stop,
    restart: async (mode = 'fast') => {
      await stop(mode);
      await start();
    },
    destroy: async () => {
      if (running) await stop('immediate').catch(() => {});
      await rm(root, { recursive: true, force: true });
    },
    log: async () => (await readFile(logFile, 'utf8').catch(() => '')).slice(-4000),
  };
  await start();
  return cluster;
}
