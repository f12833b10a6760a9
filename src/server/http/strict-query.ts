import type { FastifyInstance, RouteOptions } from 'fastify';
import { z } from 'zod';

/** The API's prefix: its query strings are strict; the web pages' (`/?embed=1&lang=…`) are not ours to refuse. */
const API_PREFIX = '/api/';
const NO_QUERY = z.strictObject({});

/**
 * Makes every API route's query string strict (issue 13): a route without a query schema accepts no
 * key at all, and a zod object schema that would strip unknown keys is replaced by its strict form, so
 * that `?lang=en&x=1` is a 400 `invalid_request` like an unknown body field. Done here, once for every
 * route, rather than trusted to each contract: a new route cannot forget it. WebSocket upgrades keep
 * their own frame validation (modules/realtime).
 */
export function strictQueryStrings(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions & { websocket?: boolean }) => {
    if (!route.url.startsWith(API_PREFIX) || route.websocket) return;
    const schema = (route.schema ??= {});
    const query = schema.querystring;
    if (!query) schema.querystring = NO_QUERY;
    else if (query instanceof z.ZodObject && query.def.catchall === undefined) schema.querystring = query.strict();
  });
}
