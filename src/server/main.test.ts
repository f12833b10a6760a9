import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { onPostgres } from './test/test-db.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

function startServer(dataDir: string, port: number): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: '', SMTP_URL: '', ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'correct horse battery staple' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output.slice(-4000) };
}

async function waitHealthy(port: number, server: { output: () => string }, timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server did not become healthy; its output:\n${server.output()}`);
}

// The entry point itself, as `npm start` runs it: once, on the embedded database.
describe.skipIf(onPostgres)('the server process', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('migrates a new DATA_DIR, loads demo data, stops on SIGTERM and keeps every ticket across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tf-main-'));
    dirs.push(dataDir);
    const port = 20_000 + Math.floor(Math.random() * 20_000);

    const first = startServer(dataDir, port);
    await waitHealthy(port, first);
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

    const second = startServer(dataDir, port);
    try {
      await waitHealthy(port, second);
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
