import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { translator } from '../../i18n.ts';
import { createTicketViaApi, uniqueEmail } from '../../test/factories.ts';
import { testConfig, useTestApp } from '../../test/test-app.ts';
import { startEmailDelivery } from '../email/index.ts';
import { SmtpSink } from '../../test/smtp-sink.ts';
import { ticketChannel } from '../../../contracts/realtime.ts';
import { TestSocket, realtimeUrl } from '../../test/test-socket.ts';

const METRICS_TOKEN = 'a-test-metrics-token-0123456789';
const ctx = useTestApp({ metricsToken: METRICS_TOKEN });

/** /metrics on the application port, with the token. */
const scrape = (app: FastifyInstance) => app.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });

/** The value of one sample line (`name{labels} value`), or undefined when the line is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('exposes HTTP latency per route, the e-mail outbox, WebSocket connections and event-loop lag', async () => {
    await createTicketViaApi(ctx.app);
    const res = await scrape(ctx.app);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    const text = res.body;
    expect(text).toMatch(/tf_http_request_duration_seconds_count\{method="POST",route="\/api\/tickets",status="201"\} 1/);
    expect(text).toMatch(/tf_email_queue_emails\{status="pending"\} [1-9]/);
    expect(text).toMatch(/^tf_websocket_connections 0$/m);
    // A sample line with its value: the metric's # HELP / # TYPE lines alone do not count.
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds [0-9.e+-]+$/m);
  });

  it('counts WebSocket connections and the frames they exchange', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const socket = await TestSocket.open(realtimeUrl(ctx.app), { headers: { origin: ctx.app.config.publicUrl } });
    try {
      const before = (await scrape(ctx.app)).body;
      socket.send({ type: 'subscribe', channel: ticketChannel(ticket.id), token });
      await socket.waitFor((f) => f.type === 'subscribed');
      const text = (await scrape(ctx.app)).body;
      expect(sample(text, 'tf_websocket_connections')).toBe(1);
      expect(sample(text, 'tf_websocket_frames_total{direction="received"}')).toBe(
        sample(before, 'tf_websocket_frames_total{direction="received"}')! + 1,
      );
      expect(sample(text, 'tf_websocket_frames_total{direction="sent"}')).toBeGreaterThan(
        sample(before, 'tf_websocket_frames_total{direction="sent"}')!,
      );
    } finally {
      socket.ws.terminate();
    }
  });

  it('counts the per-IP refusals by route, as a sample line with its value', async () => {
    const app = await buildApp({ db: ctx.testDb.db, config: testConfig({ rateLimit: true, rateLimitPerMinute: 2, metricsToken: METRICS_TOKEN }) });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await app.inject({ url: '/api/faq?lang=en' })).statusCode);
      expect(statuses).toEqual([200, 200, 429, 429]);
      const text = (await scrape(app)).body;
      expect(sample(text, 'tf_rate_limited_total{route="GET /api/faq"}')).toBe(2);
    } finally {
      await app.close();
    }
  });
});

describe('GET /metrics: the e-mail worker of this process', () => {
  let sink: SmtpSink;
  let delivery: Awaited<ReturnType<typeof startEmailDelivery>> | null = null;
  beforeAll(async () => {
    sink = await SmtpSink.start();
  });
  afterAll(async () => {
    await delivery?.stop();
    await sink?.close();
  });

  it('exports what the worker sent and what bounced, through a real SMTP server, as counters', async () => {
    const refused = uniqueEmail('refused');
    sink.refuseRecipient = (address) => (address === refused ? { code: 550, message: 'No such user' } : null);
    await ctx.testDb.db.query(`UPDATE email_queue SET status = 'sent' WHERE status = 'pending'`);
    const series = (outcome: string) => `tf_email_deliveries_total{outcome="${outcome}"}`;

    const before = (await scrape(ctx.app)).body;
    expect(before).not.toContain('tf_email_deliveries_total{');

    delivery = await startEmailDelivery({
      db: ctx.testDb.db,
      config: { ...ctx.app.config, smtpUrl: sink.url },
      logger: pino({ level: 'silent' }),
    });
    ctx.app.observeEmailWorker(delivery.worker);
    await createTicketViaApi(ctx.app);
    await createTicketViaApi(ctx.app, { email: refused });
    await sink.waitFor(1);
    await expect
      .poll(async () => {
        const { rows } = await ctx.testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM email_queue WHERE status = 'pending'`);
        return rows[0]!.n;
      }, { timeout: 30_000 })
      .toBe(0);

    const text = (await scrape(ctx.app)).body;
    expect(text).toContain('# TYPE tf_email_deliveries_total counter');
    expect(sample(text, series('sent'))).toBe(1);
    expect(sample(text, series('bounced'))).toBe(1);
    expect(sample(text, series('failed'))).toBe(0);
    expect(sample(text, series('retried'))).toBe(0);
    expect(sink.mails.map((m) => m.to)).toEqual([[expect.not.stringContaining('refused')]]);
  });
});

describe('who may read /metrics (issue 13: it was public on the application port)', () => {
  /** An app on the shared database with these settings, closed after the test. */
  async function withApp(overrides: Parameters<typeof testConfig>[0], fn: (app: FastifyInstance) => Promise<void>) {
    const app = await buildApp({ db: ctx.testDb.db, config: testConfig(overrides) });
    try {
      await app.ready();
      await fn(app);
    } finally {
      await app.close();
    }
  }

  it('answers 404 on the application port when neither METRICS_PORT nor METRICS_TOKEN is set', async () => {
    await withApp({}, async (app) => {
      for (const headers of [{}, { authorization: `Bearer ${METRICS_TOKEN}` }]) {
        const res = await app.inject({ url: '/metrics', headers });
        expect(res.statusCode).toBe(404);
        expect(res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
        expect(res.body).not.toContain('process_cpu');
      }
    });
  });

  it('answers 401 without the token or with a wrong one, and the figures with the right one', async () => {
    await withApp({ metricsToken: METRICS_TOKEN }, async (app) => {
      const none = await app.inject({ url: '/metrics', headers: { 'accept-language': 'en' } });
      expect(none.statusCode).toBe(401);
      expect(none.json()).toEqual({ error: { code: 'unauthorized', message: translator('en')('errors:unauthorized') } });
      for (const authorization of [`Bearer ${METRICS_TOKEN}x`, `Bearer ${METRICS_TOKEN.slice(0, -1)}`, METRICS_TOKEN, `Basic ${METRICS_TOKEN}`]) {
        const res = await app.inject({ url: '/metrics', headers: { authorization } });
        expect(res.statusCode).toBe(401);
        expect(res.body).not.toContain('process_cpu');
      }
      const ok = await scrape(app);
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toMatch(/^process_cpu_user_seconds_total /m);
    });
  });

  it('serves it on METRICS_PORT on the loopback, and not on the application port', async () => {
    await withApp({ metricsPort: 0, metricsHost: '127.0.0.1' }, async (app) => {
      const address = app.metricsAddress() as AddressInfo;
      expect(address.address).toBe('127.0.0.1');
      const res = await fetch(`http://127.0.0.1:${address.port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/plain/);
      expect(await res.text()).toMatch(/^tf_websocket_connections 0$/m);
      const other = await fetch(`http://127.0.0.1:${address.port}/api/faq`);
      expect(other.status).toBe(404);
      expect(await other.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
      expect((await app.inject({ url: '/metrics' })).statusCode).toBe(404);
    });
  });

  it('serves both when both are set: the port without a token, the application port with it', async () => {
    await withApp({ metricsPort: 0, metricsToken: METRICS_TOKEN }, async (app) => {
      const { port } = app.metricsAddress() as AddressInfo;
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
      expect((await app.inject({ url: '/metrics' })).statusCode).toBe(401);
      expect((await scrape(app)).statusCode).toBe(200);
    });
  });
});
