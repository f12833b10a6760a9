import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SESSION_COOKIE, agentResponseSchema, loginBodySchema } from '../../../contracts/agents.ts';
import { errorBodySchema } from '../../../contracts/errors.ts';
import type { Config } from '../../config.ts';
import { currentAgent, requireAgent, requireSameOrigin } from './auth-hooks.ts';
import { login, logout } from './agents.service.ts';
import { DEVICE_COOKIE, DEVICE_COOKIE_PATH, DEVICE_MAX_AGE_SECONDS } from './known-device.ts';

function setSessionCookie(reply: FastifyReply, config: Config, value: string, maxAgeSeconds: number) {
  reply.setCookie(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: new URL(config.publicUrl).protocol === 'https:',
    maxAge: maxAgeSeconds,
  });
  // Answers that set or clear a session are never cached by anything in between.
  reply.header('cache-control', 'no-store');
}

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/auth/login',
    {
      // Same-origin check before the credentials: a foreign page must not log a victim into an account (login CSRF).
      onRequest: requireSameOrigin,
      schema: { body: loginBodySchema, response: { 200: agentResponseSchema, '4xx': errorBodySchema } },
    },
    async (request, reply) => {
      const { agent, sessionId, deviceId } = await login({
        db: app.db,
        config: app.config,
        email: request.body.email,
        password: request.body.password,
        ip: request.ip ?? null,
        userAgent: request.headers['user-agent'] ?? null,
        cookieHeader: request.headers.cookie,
      });
      setSessionCookie(reply, app.config, sessionId, app.config.sessionAbsoluteSeconds);
      // Outlives the session and logout: it only marks this browser as the account's own (known-device.ts).
      reply.setCookie(DEVICE_COOKIE, deviceId, {
        httpOnly: true,
        sameSite: 'strict',
        path: DEVICE_COOKIE_PATH,
        secure: new URL(app.config.publicUrl).protocol === 'https:',
        maxAge: DEVICE_MAX_AGE_SECONDS,
      });
      return { agent };
    },
  );

  app.post(
    '/api/auth/logout',
    { onRequest: requireSameOrigin, schema: { response: { 204: z.null(), '4xx': errorBodySchema } } },
    async (request, reply) => {
      await logout({ db: app.db, cookieHeader: request.headers.cookie });
      setSessionCookie(reply, app.config, '', 0);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    { onRequest: requireAgent, schema: { response: { 200: agentResponseSchema, '4xx': errorBodySchema } } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { agent: currentAgent(request) };
    },
  );
};
