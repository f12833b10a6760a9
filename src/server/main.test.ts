import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { onPostgres } from './test/test-db.ts';
import { freePort, startServerProcess, waitHealthy } from './test/server-process.ts';

// The entry point itself, as `npm start` runs it: once, on the embedded database.
describe.skipIf(onPostgres)('the server process', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('migrates a new DATA_DIR, loads demo data, stops on SIGTERM and keeps every ticket across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tf-main-'));
    dirs.push(dataDir);
    const port = await freePort();

    const first = await startServerProcess({ DATA_DIR: dataDir, DEMO_DATA: 'true' }, port);
    await waitHealthy(first);
    const created = await fetch(`http://127.0.0.1:${port}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'restart@example.com', message: 'Still there after a restart?', lang: 'en' }),
    });
    expect(created.status).toBe(201);
    const { ticket, token } = (await created.json()) as { ticket: { id: string }; token: string };
    const sent = await fetch(`http://127.0.0.1:${port}/api/tickets/${ticket.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ body: 'second message', clientId: crypto.randomUUID() }),
    });
    expect(sent.status).toBe(201);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await startServerProcess({ DATA_DIR: dataDir }, port);
    try {
      await waitHealthy(second);
      const page = await fetch(`http://127.0.0.1:${port}/api/tickets/${ticket.id}/messages`, { headers: { authorization: `Bearer ${token}` } });
      expect(page.status).toBe(200);
      const body = (await page.json()) as { messages: Array<{ body: string }> };
      expect(body.messages.map((m) => m.body)).toEqual(['Still there after a restart?', 'second message']);
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  }, 600_000);
});
