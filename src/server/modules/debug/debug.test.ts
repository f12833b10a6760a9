import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEBUG_METRICS_MAX_DAYS,
  DEBUG_RECENT_TICKETS,
  debugTicketsResponseSchema,
  metricsSummaryResponseSchema,
} from '../../../contracts/debug.ts';
import { createLoggedInAgent } from '../../test/agent-factories.ts';
import { createTicketViaApi, sendMessageViaApi } from '../../test/factories.ts';
import { useTestApp } from '../../test/test-app.ts';
import { WEB_DIST_DIR } from '../web/index.ts';
import { DEBUG_LOGIN_REDIRECT, serveDebugPage } from './debug-page.ts';

describe('debug routes', () => {
  const ctx = useTestApp();

  it('GET /api/debug/tickets answers 401 without a session', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/debug/tickets' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
  });

  it('GET /api/debug/tickets answers 403 to an agent who is not an admin', async () => {
    const agent = await createLoggedInAgent(ctx.app, { role: 'agent' });
    const res = await ctx.app.inject({ method: 'GET', url: '/api/debug/tickets', headers: { cookie: agent.cookie } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
  });

  it('GET /api/debug/tickets gives an admin the newest tickets first, with their message counts', async () => {
    const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
    const older = await createTicketViaApi(ctx.app, { message: 'Premier ticket' });
    const newer = await createTicketViaApi(ctx.app, { message: 'Second ticket', orderNumber: 'TF-1001' });
    expect((await sendMessageViaApi(ctx.app, newer.ticket, newer.token, 'Encore moi')).statusCode).toBe(201);

    const res = await ctx.app.inject({ method: 'GET', url: '/api/debug/tickets', headers: { cookie: admin.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { tickets } = debugTicketsResponseSchema.parse(res.json());
    const ids = tickets.map((t) => t.id);
    expect(ids.indexOf(newer.ticket.id)).toBeLessThan(ids.indexOf(older.ticket.id));
    const row = tickets.find((t) => t.id === newer.ticket.id)!;
    expect(row).toMatchObject({ email: newer.ticket.email, status: 'open', order_number: 'TF-1001', message_count: 2 });
  });

  it('GET /api/debug/tickets returns at most the inspector size', async () => {
    const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
    for (let i = 0; i < DEBUG_RECENT_TICKETS + 2; i++) await createTicketViaApi(ctx.app);
    const res = await ctx.app.inject({ method: 'GET', url: '/api/debug/tickets', headers: { cookie: admin.cookie } });
    expect(res.json().tickets).toHaveLength(DEBUG_RECENT_TICKETS);
  });


  it('GET /api/debug/metrics-summary answers 401 without a session and 403 to an agent', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/api/debug/metrics-summary' })).statusCode).toBe(401);
    const agent = await createLoggedInAgent(ctx.app, { role: 'agent' });
    const res = await ctx.app.inject({ method: 'GET', url: '/api/debug/metrics-summary', headers: { cookie: agent.cookie } });
    expect(res.statusCode).toBe(403);
  });

  it('GET /api/debug/metrics-summary gives an admin count, avg, min, max and p95 of today\'s client metrics', async () => {
    const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
    const timestamp = Date.now();
    // 1..20: p95 is the 19th value (nearest rank), the average 10.5.
    const posted = await ctx.app.inject({
      method: 'POST',
      url: '/api/metrics',
      payload: { metrics: Array.from({ length: 20 }, (_, i) => ({ name: 'debug_page_metric', value: i + 1, timestamp })) },
    });
    expect(posted.statusCode).toBe(202);
    const res = await ctx.app.inject({ method: 'GET', url: '/api/debug/metrics-summary', headers: { cookie: admin.cookie } });
    expect(res.statusCode).toBe(200);
    const body = metricsSummaryResponseSchema.parse(res.json());
    expect(body.metrics.find((m) => m.name === 'debug_page_metric')).toMatchObject({ count: 20, avg: 10.5, min: 1, max: 20, p95: 19 });
    expect(new Date(body.to).getTime() - new Date(body.from).getTime()).toBe(86_400_000);
  });

  it('GET /api/debug/metrics-summary refuses a window longer than allowed', async () => {
    const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/api/debug/metrics-summary?days=${DEBUG_METRICS_MAX_DAYS + 1}`,
      headers: { cookie: admin.cookie },
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('debug page guard', () => {
  const ctx = useTestApp();
  let web: FastifyInstance;
  let pages: string;

  // The guard is tested on its own little server so the test does not depend on a web build.
  beforeAll(async () => {
    pages = mkdtempSync(join(tmpdir(), 'tf-debug-page-'));
    mkdirSync(join(pages, 'debug'));
    writeFileSync(join(pages, 'debug', 'index.html'), '<!doctype html><title>debug</title>');
    web = Fastify();
    await web.register(fastifyStatic, { root: pages, serve: false });
    web.get('/debug', (request, reply) => serveDebugPage(ctx.app.db, request, reply, () => 'debug/index.html'));
    await web.ready();
  });
  afterAll(async () => {
    await web?.close();
    rmSync(pages, { recursive: true, force: true });
  });

  it('sends a visitor without a session to the login page', async () => {
    const res = await web.inject({ method: 'GET', url: '/debug' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(DEBUG_LOGIN_REDIRECT);
  });

  it('answers a 403 page, in their language, to an agent who is not an admin', async () => {
    const agent = await createLoggedInAgent(ctx.app, { role: 'agent' });
    const res = await web.inject({ method: 'GET', url: '/debug', headers: { cookie: agent.cookie, 'accept-language': 'en' } });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain('for administrators only');
    expect(res.body).not.toContain('<title>debug</title>');
  });

  it('serves the page to an admin, never cached', async () => {
    const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
    const res = await web.inject({ method: 'GET', url: '/debug', headers: { cookie: admin.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<title>debug</title>');
    expect(String(res.headers['cache-control'])).not.toMatch(/public|max-age=[1-9]/);
  });

  it.skipIf(!existsSync(join(WEB_DIST_DIR, 'debug', 'index.html')))(
    'the built debug page is not reachable as a plain file',
    async () => {
      const res = await ctx.app.inject({ method: 'GET', url: '/debug/index.html' });
      expect(res.statusCode).toBe(404);
    },
  );
});
