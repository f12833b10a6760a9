import { describe, expect, it } from 'vitest';
import { createTicketViaApi } from '../../test/factories.ts';
import { useTestApp } from '../../test/test-app.ts';

const ctx = useTestApp();

describe('GET /metrics', () => {
  it('exposes HTTP latency per route, the e-mail outbox, WebSocket connections and event-loop lag', async () => {
    await createTicketViaApi(ctx.app);
    const res = await ctx.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    const text = res.body;
    expect(text).toMatch(/tf_http_request_duration_seconds_count\{method="POST",route="\/api\/tickets",status="201"\} 1/);
    expect(text).toMatch(/tf_email_queue_emails\{status="pending"\} [1-9]/);
    expect(text).toMatch(/tf_websocket_connections 0/);
    expect(text).toMatch(/nodejs_eventloop_lag_seconds/);
    expect(text).toMatch(/tf_rate_limited_total/);
  });
});
