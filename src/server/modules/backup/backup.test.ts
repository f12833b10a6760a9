import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readMigrations } from '../../db/migrate.ts';
import { PgliteDb } from '../../db/pglite.ts';
import { onPostgres } from '../../test/test-db.ts';
import { startServerProcess, waitHealthy, type ServerProcess } from '../../test/server-process.ts';
import { BACKUP_ACCESS_FILE, BACKUP_ROUTE, readBackupAccess } from './backup-access.ts';

const SCRIPTS = fileURLToPath(new URL('../../../../scripts/', import.meta.url));
const TICKETS = 8;
const SENDERS = 16;
/** Under the per-ticket limit (100 an hour, the opening message included). */
const MAX_PER_TICKET = 90;
/** Sends acknowledged before the backup starts: enough that the copy is taken in the middle of traffic. */
const ACKED_BEFORE_BACKUP = 60;

type Sent = { ticketId: string; clientId: string; ackedAt: number };
type Ticket = { id: string; token: string };

/** Runs scripts/<name>.ts as `npm run <name> -- <file>` does, with DATA_DIR set. */
async function runScript(name: 'backup' | 'restore', file: string, dataDir: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', `${SCRIPTS}${name}.ts`, file], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}

async function openTicket(url: string, i: number): Promise<Ticket> {
  const res = await fetch(`${url}/api/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `backup${i}.${randomUUID().slice(0, 6)}@example.com`, message: `ticket ${i}`, lang: 'en' }),
  });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { ticket: { id: string }; token: string };
  return { id: body.ticket.id, token: body.token };
}

/** Every message of a ticket through the customer API, following the cursor to the oldest page. */
async function allMessages(url: string, ticket: Ticket): Promise<Array<{ client_id: string | null }>> {
  const out: Array<{ client_id: string | null }> = [];
  let cursor: string | null = null;
  do {
    const res: Response = await fetch(`${url}/api/tickets/${ticket.id}/messages?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
      headers: { authorization: `Bearer ${ticket.token}` },
    });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { messages: Array<{ client_id: string | null }>; hasMore: boolean; nextCursor: string | null };
    out.push(...page.messages);
    cursor = page.hasMore ? page.nextCursor : null;
  } while (cursor);
  return out;
}

describe.skipIf(onPostgres)('npm run backup and npm run restore (embedded database)', () => {
  const dirs: string[] = [];
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('copy the running database while messages are being sent; the restored copy has every message acknowledged before the backup began', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tf-backup-'));
    dirs.push(root);
    const dataDir = join(root, 'data');
    const backupFile = join(root, 'support.tar.gz');

    const server = await startServerProcess({ DATA_DIR: dataDir, RATE_LIMIT: 'off' });
    servers.push(server);
    await waitHealthy(server);
    const tickets = await Promise.all(Array.from({ length: TICKETS }, (_, i) => openTicket(server.url, i)));

    // The server publishes how to reach it, to its own user only.
    const access = await readBackupAccess(dataDir);
    expect(access).toMatchObject({ pid: server.child.pid, url: server.url });
    expect((await stat(join(dataDir, BACKUP_ACCESS_FILE))).mode & 0o777).toBe(0o600);
    expect((await fetch(`${server.url}${BACKUP_ROUTE}`)).status).toBe(401);
    expect((await fetch(`${server.url}${BACKUP_ROUTE}`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const proxied = await fetch(`${server.url}${BACKUP_ROUTE}`, { headers: { authorization: `Bearer ${access!.token}`, 'x-forwarded-for': '203.0.113.9' } });
    expect(proxied.status).toBe(403);
    expect(((await proxied.json()) as { error: { code: string } }).error.code).toBe('forbidden');

    // Many parallel senders, until told to stop.
    const sent: Sent[] = [];
    const perTicket = new Map<string, number>();
    let sending = true;
    const senders = Array.from({ length: SENDERS }, async (_, s) => {
      for (let n = 0; sending; n++) {
        const ticket = tickets[(s + n) % TICKETS]!;
        const count = perTicket.get(ticket.id) ?? 0;
        if (count >= MAX_PER_TICKET) break;
        perTicket.set(ticket.id, count + 1);
        const clientId = randomUUID();
        const res = await fetch(`${server.url}/api/tickets/${ticket.id}/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ticket.token}` },
          body: JSON.stringify({ body: `message ${s}-${n}`, clientId }),
        });
        if (res.status === 201) sent.push({ ticketId: ticket.id, clientId, ackedAt: performance.now() });
        else throw new Error(`send answered ${res.status}: ${await res.text()}`);
      }
    });
    while (sent.length < ACKED_BEFORE_BACKUP) await new Promise((r) => setTimeout(r, 20));

    const backupBegan = performance.now();
    const backup = await runScript('backup', backupFile, dataDir);
    const backupEnded = performance.now();
    expect(backup.output).toContain(`backup of the running server (pid ${server.child.pid})`);
    expect(backup.code).toBe(0);
    sending = false;
    await Promise.all(senders);
    const before = sent.filter((m) => m.ackedAt < backupBegan);
    // The copy was taken in the middle of the traffic: sends went on being acknowledged while it ran.
    expect(sent.filter((m) => m.ackedAt > backupBegan && m.ackedAt < backupEnded).length).toBeGreaterThan(0);
    expect(await server.stop()).toBe(0);
    // A stopped server removes its access file: its token is dead.
    expect(await readBackupAccess(dataDir)).toBeNull();

    // Restoring refuses a folder that holds anything, and changes nothing in it.
    const busy = join(root, 'busy');
    await mkdir(busy);
    await writeFile(join(busy, 'keep.txt'), 'mine');
    const refused = await runScript('restore', backupFile, busy);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('is not empty');

    const restoredDir = join(root, 'restored');
    const restore = await runScript('restore', backupFile, restoredDir);
    expect(restore.output).toContain('restored');
    expect(restore.code).toBe(0);
    expect(await readBackupAccess(restoredDir)).toBeNull();

    const restored = await startServerProcess({ DATA_DIR: restoredDir, RATE_LIMIT: 'off' });
    servers.push(restored);
    await waitHealthy(restored);
    const found = new Set<string>();
    let throughApi = 0;
    for (const ticket of tickets) {
      const messages = await allMessages(restored.url, ticket);
      throughApi += messages.length;
      for (const m of messages) if (m.client_id) found.add(m.client_id);
    }
    expect(before.filter((m) => !found.has(m.clientId))).toEqual([]);
    // Nothing invented: every restored send is one the first server acknowledged (or had in flight).
    expect(throughApi).toBeLessThanOrEqual(TICKETS + sent.length + SENDERS);
    expect(await restored.stop()).toBe(0);

    // The restored folder is a whole database: every migration recorded, and as many rows as the API showed.
    const db = await PgliteDb.open({ dataDir: restoredDir });
    try {
      const { rows: versions } = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(versions.map((r) => r.version)).toEqual((await readMigrations()).map((m) => m.version));
      const { rows } = await db.query<{ n: number; tickets: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT request_id)::int AS tickets FROM support_messages WHERE request_id = ANY($1::uuid[])`,
        [tickets.map((t) => t.id)],
      );
      expect(rows[0]).toEqual({ n: throughApi, tickets: TICKETS });
      const { rows: seqs } = await db.query<{ gaps: number }>(
        `SELECT count(*)::int AS gaps FROM support_requests r
          WHERE r.id = ANY($1::uuid[]) AND r.last_message_seq <> (SELECT count(*) FROM support_messages m WHERE m.request_id = r.id)`,
        [tickets.map((t) => t.id)],
      );
      expect(seqs[0]!.gaps).toBe(0);
    } finally {
      await db.close();
    }
  }, 900_000);

  it('copies a folder no server is running on by opening it itself', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tf-backup-offline-'));
    dirs.push(root);
    const dataDir = join(root, 'data');
    const db = await PgliteDb.open({ dataDir });
    await db.exec('CREATE TABLE kept (note text); INSERT INTO kept VALUES ($$still here$$);');
    await db.close();

    const backup = await runScript('backup', join(root, 'offline.tar.gz'), dataDir);
    expect(backup.output).toContain('no server running on it');
    expect(backup.code).toBe(0);
    const inside = await runScript('backup', join(dataDir, 'inside.tar.gz'), dataDir);
    expect(inside.code).toBe(1);
    expect(inside.output).toContain('outside DATA_DIR');

    const copy = await PgliteDb.open({ dataDir: join(root, 'copy'), loadDataDir: new Blob([await readFile(join(root, 'offline.tar.gz'))]) });
    try {
      expect((await copy.query('SELECT note FROM kept')).rows).toEqual([{ note: 'still here' }]);
    } finally {
      await copy.close();
    }
  }, 300_000);
});
