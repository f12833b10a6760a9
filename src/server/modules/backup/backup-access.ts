import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The backup route of a server on the embedded database (`npm run backup` asks it for a copy). */
export const BACKUP_ROUTE = '/internal/backup';

/**
 * Written by the server into its DATA_DIR when it listens, removed when it stops: how `npm run backup`
 * reaches that very server. Readable by the server's user only (0600): the token is its credential.
 */
export const BACKUP_ACCESS_FILE = 'backup-access.json';

export type BackupAccess = { pid: number; url: string; token: string };

export function newBackupToken(): string {
  return randomBytes(32).toString('base64url');
}

export async function writeBackupAccess(dataDir: string, access: BackupAccess): Promise<void> {
  const file = join(dataDir, BACKUP_ACCESS_FILE);
  // Created 0600 and renamed into place: the token is never readable by others, even for a moment.
  await writeFile(`${file}.partial`, JSON.stringify(access), { mode: 0o600 });
  await chmod(`${file}.partial`, 0o600);
  await rename(`${file}.partial`, file);
}

export async function readBackupAccess(dataDir: string): Promise<BackupAccess | null> {
  try {
    return JSON.parse(await readFile(join(dataDir, BACKUP_ACCESS_FILE), 'utf8')) as BackupAccess;
  } catch {
    return null;
  }
}

/** Removes the file if it is still this server's (another server may have started on the folder since). */
export async function removeBackupAccess(dataDir: string, token: string): Promise<void> {
  if ((await readBackupAccess(dataDir))?.token === token) await rm(join(dataDir, BACKUP_ACCESS_FILE), { force: true });
}

/** Whether a process with that id runs (a file left by a server that crashed names a dead one). */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
