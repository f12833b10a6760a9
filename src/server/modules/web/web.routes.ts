import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../http/app-error.ts';
import { serveDebugPage } from '../debug/index.ts';
import { embedCheckRoutes } from './embed-check.routes.ts';

/** The embeddable loader, built by vite.loader.config.ts. */
export const WIDGET_SCRIPT = 'widget.js';
const DEBUG_PAGE = 'debug/index.html';

export const WEB_DIST_DIR = fileURLToPath(new URL('../../../../dist/web/', import.meta.url));

/**
 * The brand's icon (red #a4161a, a white T), kept beside this module rather than in the built pages so
 * that it is served even before the pages are built. `/favicon.ico` is what browsers ask for on their
 * own; the pages link the SVG, sharp at any size.
 */
const FAVICONS = [
  { path: '/favicon.ico', file: 'favicon.ico', type: 'image/x-icon' },
  { path: '/favicon.svg', file: 'favicon.svg', type: 'image/svg+xml' },
] as const;
/** The icon's URL carries no hash, so a week: long enough to spare the requests, short enough for a rebrand. */
export const FAVICON_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

/**
 * Serves the built web pages (npm start builds them into dist/web): hashed assets cached for a year,
 * HTML never cached, and each app's client-side routes answered with its index.html.
 */
export const webRoutes: FastifyPluginAsync = async (app) => {
  // The loader may be served by another instance or a CDN: the check answers even without a build.
  await app.register(embedCheckRoutes);
  for (const icon of FAVICONS) {
    const bytes = await readFile(new URL(icon.file, import.meta.url));
    app.get(icon.path, (_req, reply) =>
      reply.header('Content-Type', icon.type).header('Cache-Control', `public, max-age=${FAVICON_MAX_AGE_SECONDS}`).send(bytes),
    );
  }
  if (!existsSync(WEB_DIST_DIR)) {
    app.log.warn({ dir: WEB_DIST_DIR }, 'web pages are not built: run npm run build');
    return;
  }
  await app.register(fastifyStatic, {
    root: WEB_DIST_DIR,
    prefix: '/',
    wildcard: false,
    index: false,
    // Served by its own route below (it must exist even when built after the server started).
    // The debug page is served only through its admin check (serveDebugPage), never as a plain file.
    globIgnore: [WIDGET_SCRIPT, DEBUG_PAGE],
    setHeaders: (res, path) => {
      if (path.includes('/assets/')) res.header('Cache-Control', 'public, max-age=31536000, immutable');
      // The embed loader's URL never changes (it is in the restaurant's pages): a short cache lets a
      // new version reach every site within minutes.
      else if (path.endsWith(`/${WIDGET_SCRIPT}`)) res.header('Cache-Control', 'public, max-age=300');
      else res.header('Cache-Control', 'no-cache');
    },
  });
  const page = (file: string) => () => {
    if (!existsSync(`${WEB_DIST_DIR}${file}`)) throw new AppError('not_found');
    return file;
  };
  const chat = page('index.html');
  const agent = page('agent/index.html');
  const widgetScript = page(WIDGET_SCRIPT);
  // Framing of `/` by the restaurants' sites (the loader's iframe) is allowed in http/security.ts.
  app.get('/', (_req, reply) => reply.sendFile(chat()));
  app.get(`/${WIDGET_SCRIPT}`, (_req, reply) => reply.sendFile(widgetScript()));
  app.get('/agent', (_req, reply) => reply.sendFile(agent()));
  app.get('/agent/*', (_req, reply) => reply.sendFile(agent()));
  const debug = page(DEBUG_PAGE);
  app.get('/debug', (request, reply) => serveDebugPage(app.db, request, reply, debug));
};
