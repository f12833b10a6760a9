import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess as startProcess, waitHealthy } from '../../src/server/test/server-process.ts';

export type ServerProcess = {
  port: number;
  /** The first admin's generated password, as printed once on the first start. */
  admin: { email: string; password: string };
  /** What the process wrote last, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
};

/**
 * The real server process on a new embedded database in a temporary DATA_DIR, with ONLY `PORT` and
 * `DATA_DIR` set: every other setting at its default (no PUBLIC_URL, no ALLOWED_ORIGINS), as on a first
 * run after `npm ci && npm start`.
 */
export async function startServerProcess(): Promise<ServerProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tf-first-run-'));
  const server = await startProcess({ DATA_DIR: dataDir }, undefined, { bare: true });
  // The generated password is printed once, early: read it from the whole stream, not the kept tail.
  let printed = '';
  const read = (chunk: Buffer) => void (printed += chunk.toString());
  server.child.stdout?.on('data', read);
  server.child.stderr?.on('data', read);
  const stop = async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitHealthy(server);
    const email = /e-mail:\s+(\S+)/.exec(printed)?.[1];
    const password = /password:\s+(\S+)/.exec(printed)?.[1];
    if (!email || !password) throw new Error(`the first start printed no admin password:\n${server.output()}`);
    server.child.stdout?.off('data', read);
    server.child.stderr?.off('data', read);
    return { port: server.port, admin: { email, password }, output: server.output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
