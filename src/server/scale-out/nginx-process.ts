import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Debian's nginx (`apt-get install nginx`); only the binary is used, never the system service. */
export const NGINX_BIN = '/usr/sbin/nginx';
export const hasNginx = existsSync(NGINX_BIN);

/** The configuration operators use, as committed. */
export const DEPLOY_NGINX_CONF = fileURLToPath(new URL('../../../deploy/nginx.conf', import.meta.url));

/**
 * deploy/nginx.conf with its listen address and upstream servers replaced: every `server 127.0.0.1:NNNN …;`
 * line of the upstream block becomes one line per port (same options), `listen 8080;` becomes `listen`.
 * Throws when the file no longer has that shape, so the test never silently runs another configuration.
 */
export function renderSiteConf(conf: string, options: { listen: string; upstreamPorts: number[] }): string {
  const serverLines = [...conf.matchAll(/^([ \t]*)server 127\.0\.0\.1:\d+([^;\n]*);[ \t]*\n/gm)];
  if (serverLines.length === 0) throw new Error('deploy/nginx.conf: no `server 127.0.0.1:PORT …;` line in the upstream');
  if (!/^\s*listen 8080;/m.test(conf)) throw new Error('deploy/nginx.conf: no `listen 8080;` line');
  const [first] = serverLines;
  const indent = first![1];
  const opts = first![2];
  const servers = options.upstreamPorts.map((p) => `${indent}server 127.0.0.1:${p}${opts};\n`).join('');
  let out = conf.replace(first![0], servers);
  for (const line of serverLines.slice(1)) out = out.replace(line[0], '');
  return out.replace(/^(\s*)listen 8080;/m, `$1listen ${options.listen};`);
}

export type NginxProcess = {
  child: ChildProcess;
  url: string;
  port: number;
  /** nginx's error log (upstream failures are written there). */
  errorLog: () => Promise<string>;
  stop: () => Promise<void>;
};

/**
 * Runs nginx in the foreground (`daemon off`) with every path inside a temporary folder: a main
 * configuration (`events {}`, `http { include <site>; }`) around `siteConf`.
 */
export async function startNginx(siteConf: string, port: number): Promise<NginxProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'tf-nginx-'));
  for (const d of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) await mkdir(join(dir, d));
  const site = join(dir, 'tasty-support.conf');
  await writeFile(site, siteConf);
  const main = join(dir, 'nginx.conf');
  await writeFile(
    main,
    [
      // As root, nginx's workers would otherwise become `nobody`, who cannot write the temporary folder.
      process.getuid?.() === 0 ? 'user root;' : '',
      'worker_processes 1;',
      `error_log ${join(dir, 'error.log')} warn;`,
      'events { worker_connections 1024; }',
      'http {',
      `  access_log ${join(dir, 'access.log')};`,
      `  client_body_temp_path ${join(dir, 'client_body')};`,
      `  proxy_temp_path ${join(dir, 'proxy')};`,
      `  fastcgi_temp_path ${join(dir, 'fastcgi')};`,
      `  uwsgi_temp_path ${join(dir, 'uwsgi')};`,
      `  scgi_temp_path ${join(dir, 'scgi')};`,
      `  include ${site};`,
      '}',
      '',
    ].join('\n'),
  );
  const child = spawn(NGINX_BIN, ['-p', dir, '-e', join(dir, 'error.log'), '-c', main, '-g', `daemon off; pid ${join(dir, 'nginx.pid')};`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const errorLog = () => readFile(join(dir, 'error.log'), 'utf8').catch(() => '');

  const deadline = Date.now() + 20_000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not start: ${output}\n${await errorLog()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    errorLog,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** The committed deploy/nginx.conf, rendered for these ports. */
export async function deploySiteConf(options: { listen: string; upstreamPorts: number[] }): Promise<string> {
  return renderSiteConf(await readFile(DEPLOY_NGINX_CONF, 'utf8'), options);
}
