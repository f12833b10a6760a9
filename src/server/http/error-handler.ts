import type { IncomingMessage } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Lang } from '../../contracts/common.ts';
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '../../contracts/errors.ts';
import { langFromAcceptLanguage, translator } from '../i18n.ts';
import { AppError } from './app-error.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The language of the caller, once known better than Accept-Language (a ticket's lang). */
    lang?: Lang;
  }
}

// PostgreSQL and network errors meaning the database is out of reach: 503, retry later.
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);
const UNAVAILABLE_SQLSTATE = /^(08|53|57P)/;
/** What a 503 tells clients (Retry-After): a restart or fail-over of the database takes seconds. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && (UNAVAILABLE_ERRNOS.has(e.code) || UNAVAILABLE_SQLSTATE.test(e.code))) {
    return true;
  }
  const msg = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|pool after calling end|Query read timeout/i.test(
    msg,
  );
}

/** Maps anything thrown to the contract's error: code, status, and a message in the caller's language. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    return new AppError('invalid_request', {
      details: err.validation.map((v) => ({
        in: err.validationContext,
        path: v.instancePath.replace(/^\//, '').replace(/\//g, '.'),
        message: v.message,
      })),
    });
  }
  const fe = err as FastifyError;
  switch (fe?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('invalid_request', { reason: 'invalid_json' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('invalid_request', { internal: fe.message });
  }
  if (err instanceof SyntaxError && typeof fe.statusCode === 'number' && fe.statusCode === 400) {
    return new AppError('invalid_request', { reason: 'invalid_json' });
  }
  if (isDatabaseUnavailable(err)) {
    return new AppError('unavailable', { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS, internal: String(fe?.message ?? err) });
  }
  // Fastify's own 4xx (e.g. a malformed URL): keep the status class, never call it a server error.
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = (Object.keys(ERROR_STATUS) as ErrorCode[]).find((c) => ERROR_STATUS[c] === fe.statusCode);
    return new AppError(code ?? 'invalid_request', { internal: fe.message });
  }
  return new AppError('internal', { internal: String(fe?.message ?? err) });
}

export function errorBody(err: AppError, lang: Lang): ErrorBody {
  const t = translator(lang);
  const message = t(`errors:${err.reason}`, { ...err.params, defaultValue: t(`errors:${err.code}`) });
  const body: ErrorBody = { error: { code: err.code, message } };
  if (err.details !== undefined && err.status < 500) body.error.details = err.details;
  return body;
}

export function sendError(request: FastifyRequest, reply: FastifyReply, err: AppError) {
  const lang = err.lang ?? request.lang ?? langFromAcceptLanguage(request.headers['accept-language']);
  if (err.retryAfterSeconds !== undefined) reply.header('Retry-After', String(Math.ceil(err.retryAfterSeconds)));
  return reply.status(err.status).type('application/json; charset=utf-8').send(errorBody(err, lang));
}

/** Where a request the router could not read is routed again: no route has it, so the not-found handler answers. */
const UNROUTABLE_URL = '/api/.unroutable';
const routerError = Symbol('routerError');
type RawWithRouterError = IncomingMessage & { [routerError]?: FastifyError };

/**
 * Fastify's `frameworkErrors`: a URL the router cannot decode (`/api/tickets/%ff`, FST_ERR_BAD_URL) or a
 * parameter over `maxParamLength` (FST_ERR_MAX_PARAM_LENGTH). Fastify would answer these itself, before
 * any hook: its own JSON shape, no security headers, the URL echoed back (issue 13). The request is
 * routed again under a URL no route has, carrying the error, so that it passes every hook (headers, CORS,
 * per-IP limits, metrics) and the not-found handler answers it in the contract's shape: 400
 * `invalid_request` for both (an over-long id is never a valid one).
 */
export function answerRouterError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const raw = request.raw as RawWithRouterError;
  raw[routerError] = err;
  raw.url = UNROUTABLE_URL;
  request.server.routing(raw, reply.raw);
}

export type UnexpectedErrorSink = (err: unknown, request: FastifyRequest) => void;

/** The one error handler: contract-shaped JSON, no stack or SQL in a 5xx, unexpected errors logged. */
export function registerErrorHandler(app: FastifyInstance, onUnexpected?: UnexpectedErrorSink) {
  app.setErrorHandler((err, request, reply) => {
    const appError = toAppError(err);
    if (appError.status >= 500) {
      request.log.error({ err }, 'request failed');
      if (appError.code === 'internal') onUnexpected?.(err, request);
    }
    return sendError(request, reply, appError);
  });
  app.setNotFoundHandler((request, reply) => {
    const unroutable = (request.raw as RawWithRouterError)[routerError];
    if (unroutable) return sendError(request, reply, new AppError('invalid_request', { internal: unroutable.code }));
    return sendError(request, reply, new AppError('not_found'));
  });
}
