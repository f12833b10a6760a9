import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { onPostgres } from './test/test-db.ts';
import { freePort, waitHealthy, type ServerProcess } from './test/server-process.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** A first start may build the web pages and the server (up to a few minutes on a busy machine). */
const FIRST_START_MS = 420_000;

/** `npm start` as the README runs it: node scripts/start.mjs, in the checkout's root. */
function npmStart(env: Record<string, string>): ServerProcess {
  const port = Number(env.PORT);
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', DATABASE_URL: '', SMTP_URL: '', DEMO_DATA: 'false', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    exited,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

describe.skipIf(onPostgres)('npm start', () => {
  const dirs: string[] = [];
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('runs the compiled server, which finds its files (migrations, locales, FAQ, chatbot, web pages) and loads the built chatbot model; a restart builds nothing', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tf-start-'));
    dirs.push(dataDir);
    const env = { DATA_DIR: dataDir, PORT: String(await freePort()), ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'correct horse battery staple' };

    const first = npmStart(env);
    servers.push(first);
    await waitHealthy(first, FIRST_START_MS);
    expect(existsSync(join(ROOT, 'dist/server/main.mjs'))).toBe(true);
    // The embedded database's thread (src/server/db/pglite-worker.ts) is built beside the bundle.
    expect(existsSync(join(ROOT, 'dist/server/pglite-thread.cjs'))).toBe(true);
    expect(first.output()).not.toContain('no built chatbot model');
    expect(first.output()).not.toContain('training it now');
    expect(await first.stop()).toBe(0);

    const again = npmStart(env);
    servers.push(again);
    await waitHealthy(again);
    expect(again.output()).not.toContain('building ');
    expect(again.output()).not.toContain('no built chatbot model');
    // The stored model is installed before the app is built: the bot's plugin never trains one on a restart.
    expect(again.output()).not.toContain('training it now');
    // The database's thread was started by scripts/start.mjs, before its build check and before the bundle
    // ran, and the bundle took it over (one thread: the ready line's mark is the first call's).
    const ready = again
      .output()
      .split('\n')
      .map((line) => (line.startsWith('{') ? (JSON.parse(line) as { msg?: string; startup?: Record<string, number> }) : {}))
      .find((line) => line.msg === 'Tasty Food Support is ready');
    expect(ready?.startup?.databaseThreadMs).toBeLessThan(ready!.startup!.mainMs!);

    const page = await fetch(`${again.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    expect((await fetch(`${again.url}/widget.js`)).status).toBe(200);
    expect((await fetch(`${again.url}/favicon.ico`)).status).toBe(200);
    const faq = (await (await fetch(`${again.url}/api/faq?lang=en`)).json()) as { entries: unknown[] };
    expect(faq.entries.length).toBeGreaterThan(5);
    const ask = await fetch(`${again.url}/api/chat/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Is all your meat halal?', lang: 'en' }),
    });
    expect(ask.status).toBe(200);
    expect(((await ask.json()) as { lang: string }).lang).toBe('en');
    // An error in Dutch: the locales were found.
    const missing = await fetch(`${again.url}/api/tickets/${crypto.randomUUID()}`, { headers: { authorization: 'Bearer x', 'accept-language': 'nl' } });
    expect(missing.status).toBe(404);
    const { error } = (await missing.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('not_found');
    expect(error.message).not.toBe('not_found');
    expect(await again.stop()).toBe(0);
  }, FIRST_START_MS + 300_000);

  // The files a start loads (bench/startup.bench.ts): the bundle carries its packages, and what a start
  // with no optional setting does not use stays in chunks loaded at first use (dynamic imports).
  it('loads at start only the bundle and its static imports, which hold fastify and zod but no e-mail, Redis, image or password package', () => {
    const dir = join(ROOT, 'dist/server');
    const loaded = new Set<string>();
    /** Packages left outside the bundle (native addons, PGlite, Sentry) that a loaded file imports statically. */
    const external = new Set<string>();
    const visit = (file: string) => {
      if (loaded.has(file)) return;
      loaded.add(file);
      const code = readFileSync(join(dir, file), 'utf8');
      for (const m of code.matchAll(/\b(?:from|import)\s*"([^"]+)"/g)) {
        if (m[1]!.startsWith('./')) visit(m[1]!.slice(2));
        else if (/^(@[\w.-]+\/)?[\w.-]+(\/[\w./-]+)?$/.test(m[1]!)) external.add(m[1]!);
      }
    };
    visit('main.mjs');
    // main.mjs loads the rest of the server (serve.ts) while the database opens: always, so it counts too.
    const serve = /\bimport\("\.\/(serve-[^"]+\.mjs)"\)/.exec(readFileSync(join(dir, 'main.mjs'), 'utf8'));
    expect(serve).not.toBeNull();
    visit(serve![1]!);
    const sources = [...loaded].flatMap((file) => (JSON.parse(readFileSync(join(dir, `${file}.map`), 'utf8')) as { sources: string[] }).sources);
    const packages = new Set(sources.map((s) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(s)?.[1]).filter((p) => p !== undefined));
    expect(packages).toContain('fastify');
    expect(packages).toContain('zod');
    for (const lazy of ['mailauth', 'mailparser', 'smtp-server', 'nodemailer', 'ioredis', 'sharp', '@node-rs/argon2', '@sentry/node']) {
      expect(packages).not.toContain(lazy);
      expect(external).not.toContain(lazy);
    }
  });
});
