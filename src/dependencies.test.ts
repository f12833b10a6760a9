import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[] }>;
};

describe('the installed packages', () => {
  it('all run on the Node.js version the README promises (npm ci prints no EBADENGINE)', () => {
    const minimum = semver.minVersion(pkg.engines.node)!.version;
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`Node.js ${semver.major(minimum)}.${semver.minor(minimum)} or newer`);
    // The lockfile records each package's engines as npm ci checks them; packages for other platforms
    // (optional, not installed here) are not checked by npm either.
    const excluding = Object.entries(lock.packages)
      .filter(([path]) => path !== '' && existsSync(join(ROOT, path, 'package.json')))
      .flatMap(([path, entry]) => {
        const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
        return range && !semver.satisfies(minimum, range) ? [`${path.replace(/^.*node_modules\//, '')} wants node ${range}`] : [];
      });
    expect(excluding).toEqual([]);
  });

  it('set and read cookies through @fastify/cookie and light-my-request (cookie pinned to 1.x for Node 20)', async () => {
    const app = Fastify();
    await app.register(fastifyCookie);
    app.get('/set', (_req, reply) => reply.setCookie('session', 'a b;c', { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 60 }).send({}));
    app.get('/read', (req) => ({ session: req.cookies.session ?? null }));
    const set = await app.inject({ url: '/set' });
    expect(set.headers['set-cookie']).toBe('session=a%20b%3Bc; Max-Age=60; Path=/; HttpOnly; SameSite=Lax');
    expect(set.cookies).toEqual([expect.objectContaining({ name: 'session', value: 'a b;c', httpOnly: true, sameSite: 'Lax' })]);
    const read = await app.inject({ url: '/read', cookies: { session: 'a b;c' } });
    expect(read.json()).toEqual({ session: 'a b;c' });
    await app.close();
  });

  it('send a file as a download with its name through @fastify/static (content-disposition pinned to 2.x for Node 20)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tf-download-'));
    await writeFile(join(dir, 'rapport été.csv'), 'a,b\n');
    const app = Fastify();
    await app.register(fastifyStatic, { root: dir, serve: false });
    app.get('/export', (_req, reply) => reply.download('rapport été.csv'));
    try {
      const res = await app.inject({ url: '/export' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe('a,b\n');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="rapport ?t?.csv"; filename*=UTF-8''rapport%20%C3%A9t%C3%A9.csv`);
    } finally {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
