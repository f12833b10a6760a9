import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../http/app-error.ts';
import { BACKUP_ROUTE, newBackupToken, removeBackupAccess, writeBackupAccess } from './backup-access.ts';

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/** The address this machine's own processes reach the server at (a wildcard listen means loopback). */
function ownUrl(app: FastifyInstance): string {
  const { address, family, port } = app.server.address() as AddressInfo;
  if (address === '0.0.0.0') return `http://127.0.0.1:${port}`;
  if (address === '::') return `http://[::1]:${port}`;
  return family === 'IPv6' ? `http://[${address}]:${port}` : `http://${address}:${port}`;
}

/**
 * From a process on this machine, straight (not through a proxy, which would add its headers): from a
 * loopback address, or from the address the connection arrived at (a server listening on one interface).
 */
function fromThisMachine(request: FastifyRequest): boolean {
  const { remoteAddress, localAddress } = request.socket;
  if (request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined) return false;
  return remoteAddress !== undefined && (LOOPBACK.test(remoteAddress) || remoteAddress === localAddress);
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * GET /internal/backup: a consistent copy of the embedded database while the server runs (PGlite opens a
 * folder in one process only, so `npm run backup` must ask this one). Registered only on a database kept
 * in a folder. Two locks: the caller must be on this machine, and must present the token this server
 * wrote into DATA_DIR (readable by its own user only); the token changes at every start.
 */
export const backupRoutes: FastifyPluginAsyncZod = async (app) => {
  const folder = app.db.folder;
  if (!folder) return;
  const token = newBackupToken();
  const expected = digest(`Bearer ${token}`);
  app.addHook('onListen', async () => {
    await writeBackupAccess(folder.path, { pid: process.pid, url: ownUrl(app), token });
  });
  app.addHook('onClose', async () => {
    await removeBackupAccess(folder.path, token);
  });

  // No response schema: the answer is a binary file; refusals go through the one error handler.
  app.get(BACKUP_ROUTE, async (request, reply) => {
    if (!fromThisMachine(request)) throw new AppError('forbidden', { internal: 'backup asked from another machine or through a proxy' });
    if (!timingSafeEqual(digest(request.headers.authorization ?? ''), expected)) throw new AppError('unauthorized');
    const started = performance.now();
    const copy = Buffer.from(await (await folder.snapshot()).arrayBuffer());
    request.log.info({ bytes: copy.length, ms: Math.round(performance.now() - started) }, 'database backup taken');
    return reply.type('application/gzip').header('cache-control', 'no-store').send(copy);
  });
};
