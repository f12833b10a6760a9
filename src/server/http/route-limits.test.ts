import { describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { createLoggedInAgent } from '../test/agent-factories.ts';
import { testConfig, useTestApp } from '../test/test-app.ts';
import { ROUTE_LIMITS_PER_MINUTE } from './security.ts';

const ctx = useTestApp();
const TICKET = '00000000-0000-4000-8000-000000000000';

// A flood from one address on the routes with a limit of their own: the route's own limit applies (not
// the far higher default), per address, whatever the body (counted before validation and before the
// token check). The agents' routes check the session first (their plugin's hook runs before the route's
// limit), so their flood comes with a valid session: what is limited is an agent's browser, or a script
// holding a session.
describe.each([
  ['POST /api/chat/feedback', '/api/chat/feedback', false],
  ['POST /api/tickets/:id/attachments', `/api/tickets/${TICKET}/attachments`, false],
  ['POST /api/privacy/requests', '/api/privacy/requests', false],
  ['POST /api/privacy/requests/confirm', '/api/privacy/requests/confirm', false],
  ['GET /api/chat/handoff', '/api/chat/handoff?lang=en', false],
  ['PUT /api/agent/availability', '/api/agent/availability', true],
  ['GET /api/agent/mentions', '/api/agent/mentions', true],
  ['POST /api/agent/tickets/:id/merge', `/api/agent/tickets/${TICKET}/merge`, true],
] as const)('%s under a flood from one address', (route, url, withSession) => {
  it('answers 429 past its per-minute limit, and only to that address', async () => {
    const limit = ROUTE_LIMITS_PER_MINUTE[route]!;
    expect(limit).toBeLessThan(10_000);
    const cookie = withSession ? (await createLoggedInAgent(ctx.app)).cookie : null;
    const app = await buildApp({ db: ctx.testDb.db, config: testConfig({ rateLimit: true, rateLimitPerMinute: 10_000 }) });
    try {
      const method = route.split(' ')[0] as 'GET' | 'POST' | 'PUT';
      const send = (remoteAddress: string) =>
        app.inject({ method, url, remoteAddress, ...(cookie ? { headers: { cookie } } : {}), ...(method === 'GET' ? {} : { payload: {} }) });
      const statuses: number[] = [];
      for (let i = 0; i < limit + 1; i++) statuses.push((await send('203.0.113.7')).statusCode);
      // Below the limit the request reaches the route (an agent's route: past its session check, never 401).
      expect(statuses.slice(0, limit).every((s) => s !== 429 && !(withSession && s === 401))).toBe(true);
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
