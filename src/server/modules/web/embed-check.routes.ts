import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { EMBED_CHECK_PATH, embedCheckResponseSchema } from '../../../contracts/embed.ts';
import { isOwnOrigin } from '../../http/own-origin.ts';

/** The loader asks on every page view of the restaurant's site: let the browser reuse the answer a while. */
const EMBED_CHECK_MAX_AGE_SECONDS = 300;

/**
 * Answers the embed loader whether its page may frame the chat, by the same rule as the chat page's
 * `frame-ancestors` (http/security.ts: 'self' and ALLOWED_ORIGINS). Without it a site missing from
 * ALLOWED_ORIGINS got a launcher opening a grey frame the browser refused to draw, and no word why.
 * Every site may read the answer (the CORS plugin alone would hide it from exactly the sites that need it).
 */
export const embedCheckRoutes: FastifyPluginAsyncZod = async (app) => {
  const allowedOrigins = new Set(app.config.allowedOrigins);
  app.get(EMBED_CHECK_PATH, { schema: { response: { 200: embedCheckResponseSchema } } }, async (request, reply) => {
    const origin = request.headers.origin;
    // Browsers send no Origin on a same-origin GET: that page is the server's own.
    const allowed = origin === undefined || allowedOrigins.has(origin) || isOwnOrigin(origin, request.headers.host, app.config.publicUrl);
    reply
      .header('access-control-allow-origin', '*')
      .header('vary', 'Origin')
      .header('cache-control', `private, max-age=${EMBED_CHECK_MAX_AGE_SECONDS}`);
    return { allowed, origin: origin ?? null };
  });
};
