import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/test-app.ts';
import { CLIENT_ERRORS_PER_ADDRESS_PER_HOUR, CLIENT_STACK_STORED_MAX_CHARS } from '../errors/index.ts';
import { CLIENT_METRICS_PER_ADDRESS_PER_HOUR } from './metrics.service.ts';

// Issue 13: one address flooding client metrics and error reports within the per-IP request limits
// grew the database by 8.8 MB a minute. Each address may now store a bounded number of rows an hour.
const ctx = useTestApp();
const BATCH = 50;

const countMetrics = async (name: string) =>
  (await ctx.testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM client_metrics WHERE name = $1', [name])).rows[0]!.n;
const errorRows = async (marker: string) =>
  (await ctx.testDb.db.query<{ stack: string | null }>('SELECT stack FROM error_logs WHERE message LIKE $1', [`%${marker}%`])).rows;

const postMetrics = (name: string, ip: string) =>
  ctx.app.inject({
    method: 'POST',
    url: '/api/metrics',
    remoteAddress: ip,
    payload: { metrics: Array.from({ length: BATCH }, (_, i) => ({ name, value: i, timestamp: Date.now(), metadata: { blob: 'x'.repeat(1000) } })) },
  });

const postError = (marker: string, ip: string, stack = 'Error\n    at x (http://localhost/a.js:1:1)') =>
  ctx.app.inject({ method: 'POST', url: '/api/client-errors', remoteAddress: ip, payload: { page: 'widget', message: `${marker} boom`, stack, url: 'http://localhost/' } });

describe('client metrics flooded from one address', () => {
  it(`stores at most ${CLIENT_METRICS_PER_ADDRESS_PER_HOUR} an hour, answering every batch 202 with what it kept`, async () => {
    const batches = Math.ceil((CLIENT_METRICS_PER_ADDRESS_PER_HOUR * 3) / BATCH);
    const accepted: number[] = [];
    for (let i = 0; i < batches; i++) {
      const res = await postMetrics('flood_metric', '10.66.0.1');
      expect(res.statusCode).toBe(202);
      accepted.push(res.json().accepted);
    }
    expect(accepted.reduce((a, b) => a + b, 0)).toBe(CLIENT_METRICS_PER_ADDRESS_PER_HOUR);
    expect(accepted.at(-1)).toBe(0);
    expect(await countMetrics('flood_metric')).toBe(CLIENT_METRICS_PER_ADDRESS_PER_HOUR);
  });

  it('keeps storing another address’s metrics', async () => {
    const res = await postMetrics('other_address_metric', '10.66.0.2');
    expect(res.json()).toEqual({ accepted: BATCH });
    expect(await countMetrics('other_address_metric')).toBe(BATCH);
  });
});

describe('error reports flooded from one address', () => {
  it(`stores at most ${CLIENT_ERRORS_PER_ADDRESS_PER_HOUR} an hour; the rest answer 202 {accepted: 0}`, async () => {
    const answers: number[] = [];
    for (let i = 0; i < CLIENT_ERRORS_PER_ADDRESS_PER_HOUR + 20; i++) {
      const res = await postError(`flood-${i}-marker`, '10.66.1.1');
      expect(res.statusCode).toBe(202);
      answers.push(res.json().accepted);
    }
    expect(answers.filter((a) => a === 1)).toHaveLength(CLIENT_ERRORS_PER_ADDRESS_PER_HOUR);
    expect(answers.slice(CLIENT_ERRORS_PER_ADDRESS_PER_HOUR).every((a) => a === 0)).toBe(true);
    expect(await errorRows('-marker boom')).toHaveLength(CLIENT_ERRORS_PER_ADDRESS_PER_HOUR);
  });

  it(`keeps the first ${CLIENT_STACK_STORED_MAX_CHARS} characters of a long stack`, async () => {
    const stack = `Error: deep\n${'    at frame (http://localhost/app.js:1:1)\n'.repeat(180)}`.slice(0, 7900);
    expect((await postError('long-stack-marker', '10.66.1.2', stack)).json()).toEqual({ accepted: 1 });
    const [row] = await errorRows('long-stack-marker');
    expect(row!.stack).toHaveLength(CLIENT_STACK_STORED_MAX_CHARS);
    expect(stack.startsWith(row!.stack!)).toBe(true);
  });
});
