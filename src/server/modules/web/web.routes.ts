import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../http/app-error.ts';

export const WEB_DIST_DIR = fileURLToPath(new URL('../../../../dist/web/', import.meta.url));

/**
 * Serves the built web pages (npm start builds them into dist/web): hashed assets cached for a year,
 * HTML never cached, and each app's client-side routes answered with its index.html.
 */
export const webRoutes: FastifyPluginAsync = async (app) => {
  if (!existsSync(WEB_DIST_DIR)) {
    app.log.warn({ dir: WEB_DIST_DIR }, 'web pages are not built: run npm run build');
    return;
  }
  await app.register(fastifyStatic, {
    root: WEB_DIST_DIR,
    prefix: '/',
    wildcard: false,
    index: false,
    setHeaders: (res, path) => {
      if (path.includes('/assets/')) res.header('Cache-Control', 'public, max-age=31536000, immutable');
      else res.header('Cache-Control', 'no-cache');
    },
  });
  const page = (file: string) => () => {
    if (!existsSync(`${WEB_DIST_DIR}${file}`)) throw new AppError('not_found');
    return file;
  };
  const chat = page('index.html');
  const agent = page('agent/index.html');
  app.get('/', (_req, reply) => reply.sendFile(chat()));
  app.get('/agent', (_req, reply) => reply.sendFile(agent()));
  app.get('/agent/*', (_req, reply) => reply.sendFile(agent()));
};
