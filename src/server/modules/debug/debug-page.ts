import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/index.ts';
import { langFromAcceptLanguage, translator } from '../../i18n.ts';
import { resolveSessionAgent } from '../agents/index.ts';

/** Where a visitor without a session is sent: the dashboard's login, which comes back here. */
export const DEBUG_LOGIN_REDIRECT = '/agent?next=%2Fdebug';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function forbiddenPage(request: FastifyRequest): string {
  const lang = langFromAcceptLanguage(request.headers['accept-language']);
  const t = translator(lang);
  const title = escapeHtml(t('dashboard:debug.forbiddenTitle'));
  const text = escapeHtml(t('dashboard:debug.forbiddenText'));
  const back = escapeHtml(t('dashboard:debug.backToDashboard'));
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1b1f24;display:grid;place-items:center;min-height:100vh;margin:0}main{background:#fff;border:1px solid #d6dae0;border-radius:10px;padding:28px 32px;max-width:420px}h1{font-size:1.4rem;margin:0 0 8px}a{color:#0b57b0}</style>
</head><body><main><h1>${title}</h1><p>${text}</p><p><a href="/agent">${back}</a></p></main></body></html>`;
}

/**
 * The debug page is for admins only, checked here on the server before any of it is sent: no session →
 * the login page (302), an agent who is not an admin → a 403 page. Its data routes check again.
 */
export async function serveDebugPage(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  file: () => string,
): Promise<FastifyReply> {
  reply.header('Cache-Control', 'no-store');
  const agent = await resolveSessionAgent(db, request.headers.cookie);
  if (!agent) return reply.redirect(DEBUG_LOGIN_REDIRECT, 302);
  if (agent.role !== 'admin') return reply.status(403).type('text/html; charset=utf-8').send(forbiddenPage(request));
  return reply.sendFile(file(), { cacheControl: false });
}
