import { describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { testConfig, useTestApp } from '../test/test-app.ts';
import { ROUTE_LIMITS_PER_MINUTE } from './security.ts';

const ctx = useTestApp();

// A flood from one address on this round's routes: the route's own limit applies (not the far higher
// default), per address, whatever the body (counted before validation and before the token check).
describe.each([
  ['POST /api/chat/feedback', '/api/chat/feedback'],
  ['POST /api/tickets/:id/attachments', '/api/tickets/00000000-0000-4000-8000-000000000000/attachments'],
  ['POST /api/privacy/requests', '/api/privacy/requests'],
  ['POST /api/privacy/requests/confirm', '/api/privacy/requests/confirm'],
])('%s under a flood from one address', (route, url) => {
  it('answers 429 past its per-minute limit, and only to that address', async () => {
    const limit = ROUTE_LIMITS_PER_MINUTE[route]!;
    const app = await buildApp({ db: ctx.testDb.db, config: testConfig({ rateLimit: true, rateLimitPerMinute: 10_000 }) });
    try {
      const send = (remoteAddress: string) => app.inject({ method: 'POST', url, payload: {}, remoteAddress });
      const statuses: number[] = [];
      for (let i = 0; i < limit + 1; i++) statuses.push((await send('203.0.113.7')).statusCode);
      expect(statuses.slice(0, limit).every((s) => s !== 429)).toBe(true);
      const refused = await send('203.0.113.7');
      expect(statuses[limit]).toBe(429);
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.code).toBe('rate_limited');
      expect((await send('203.0.113.8')).statusCode).not.toBe(429);
    } finally {
      await app.close();
    }
  });
});
