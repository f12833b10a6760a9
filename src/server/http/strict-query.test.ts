import { describe, expect, it } from 'vitest';
import { createTicketViaApi } from '../test/factories.ts';
import { useTestApp } from '../test/test-app.ts';
import { useStaff } from '../test/adversarial-fixtures.ts';

const ctx = useTestApp();
const staff = useStaff(ctx);

type Caller = 'public' | 'token' | 'agent' | 'admin';
/** Every GET of the API with a query string, with a query it accepts (issue 13: unknown keys were ignored on some). */
const ROUTES: Array<[url: string, caller: Caller]> = [
  ['/api/faq?lang=en', 'public'],
  ['/api/orders/track?number=100001&email=nobody%40example.com', 'public'],
  ['/api/tickets/:id?', 'token'],
  ['/api/tickets/:id/messages?limit=5', 'token'],
  ['/api/agent/tickets?status=all', 'agent'],
  ['/api/agent/tickets/:id/messages?limit=5', 'agent'],
  ['/api/agent/analytics?from=2026-01-01', 'agent'],
  ['/api/agent/metrics-summary?days=7', 'agent'],
  ['/api/debug/metrics-summary?days=1', 'admin'],
  ['/api/debug/emails?limit=5', 'admin'],
];

async function call(url: string, caller: Caller) {
  const { ticket, token } = await createTicketViaApi(ctx.app);
  const headers: Record<string, string> = { 'accept-language': 'en' };
  if (caller === 'token') headers.authorization = `Bearer ${token}`;
  if (caller === 'agent') headers.cookie = staff.agent.cookie;
  if (caller === 'admin') headers.cookie = staff.admin.cookie;
  return ctx.app.inject({ url: url.replace(':id', ticket.id), headers });
}

describe('strict query strings on every API route (issue 13)', () => {
  it.each(ROUTES)('GET %s answers without an unknown key and refuses one with 400 invalid_request', async (url, caller) => {
    const known = await call(url, caller);
    expect(known.statusCode).not.toBe(400);
    const res = await call(`${url}${url.endsWith('?') ? '' : '&'}cacheBuster=1`, caller);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'invalid_request', message: expect.any(String) } });
  });

  it('refuses an unknown key on a POST route that takes no query string', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/chat/ask?debug=1', payload: { text: 'halal ?' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_request');
  });

  it('leaves the web pages’ own parameters alone (the widget’s iframe)', async () => {
    const res = await ctx.app.inject({ url: '/?embed=1&lang=nl&v=3' });
    expect(res.statusCode).not.toBe(400);
  });
});
