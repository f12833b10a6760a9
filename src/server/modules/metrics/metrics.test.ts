import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/test-app.ts';
import { summarizeClientMetrics } from './metrics.service.ts';

const ctx = useTestApp();
const now = Date.now();
const metric = (name: string, value: number, extra: Record<string, unknown> = {}) => ({ name, value, timestamp: now, ...extra });
const post = (payload: unknown) => ctx.app.inject({ method: 'POST', url: '/api/metrics', payload: payload as object });
const count = async (name: string) =>
  (await ctx.testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM client_metrics WHERE name = $1', [name])).rows[0]!.n;

describe('POST /api/metrics', () => {
  it('stores one metric and answers 202', async () => {
    const res = await post(metric('single_metric', 12.5, { metadata: { page: '/' } }));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 1 });
    expect(await count('single_metric')).toBe(1);
  });

  it('stores a batch of 50 in one call', async () => {
    const res = await post({ metrics: Array.from({ length: 50 }, (_, i) => metric('batch_metric', i)) });
    expect(res.statusCode).toBe(202);
    expect(await count('batch_metric')).toBe(50);
  });

  it('refuses a batch of 51 with 400 and stores nothing of it', async () => {
    const res = await post({ metrics: Array.from({ length: 51 }, (_, i) => metric('too_many', i)) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_request');
    expect(await count('too_many')).toBe(0);
  });

  it.each([
    ['a name over 64 characters', metric('x'.repeat(65), 1)],
    ['an empty name', metric('', 1)],
    ['a name with spaces', metric('bad name', 1)],
    ['a string value', { name: 'v', value: '12', timestamp: now }],
    ['a missing timestamp', { name: 'v', value: 1 }],
    ['a timestamp in 2200', metric('v', 1, { timestamp: 7_258_118_400_000 })],
    ['an unknown field', metric('v', 1, { extra: true })],
    ['metadata over 2 KB', metric('v', 1, { metadata: { blob: 'x'.repeat(3000) } })],
    ['an empty batch', { metrics: [] }],
  ])('refuses %s with 400', async (_label, payload) => {
    const res = await post(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_request');
  });

  it('refuses a non-finite value written as a huge literal with 400', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/metrics',
      headers: { 'content-type': 'application/json' },
      payload: `{"name":"inf","value":1e999,"timestamp":${now}}`,
    });
    expect(res.statusCode).toBe(400);
    expect(await count('inf')).toBe(0);
  });
});

describe('summarizeClientMetrics', () => {
  it('gives count, avg, min, max and nearest-rank p95 per name and day', async () => {
    // 1..20: p95 is the 19th value (ceil(0.95 * 20) = 19), avg 10.5.
    await post({ metrics: Array.from({ length: 20 }, (_, i) => metric('summary_metric', i + 1)) });
    const rows = await summarizeClientMetrics(ctx.testDb.db, { from: new Date(now - 86_400_000), to: new Date(now + 86_400_000) });
    const row = rows.find((r) => r.name === 'summary_metric');
    expect(row).toMatchObject({ count: 20, avg: 10.5, min: 1, max: 20, p95: 19 });
    expect(row!.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('leaves out metrics received outside the range', async () => {
    await post(metric('outside_metric', 1));
    const rows = await summarizeClientMetrics(ctx.testDb.db, { from: new Date(now - 3 * 86_400_000), to: new Date(now - 2 * 86_400_000) });
    expect(rows.find((r) => r.name === 'outside_metric')).toBeUndefined();
  });

  it('refuses an empty or reversed range', async () => {
    await expect(summarizeClientMetrics(ctx.testDb.db, { from: new Date(now), to: new Date(now) })).rejects.toMatchObject({ code: 'invalid_request' });
  });
});
