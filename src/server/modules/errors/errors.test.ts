import { describe, expect, it } from 'vitest';
import { CLIENT_ERROR_LIMITS } from '../../../contracts/client-errors.ts';
import { buildApp } from '../../app.ts';
import { testConfig, useTestApp } from '../../test/test-app.ts';
import { redactText } from './redact.ts';

const ctx = useTestApp();
// A ticket token's shape: 32 random bytes in base64url.
const TOKEN = 'k3Jd9_aQwErTyUiOpAsDfGhJkLzXcVbNm1234567890';
const report = (extra: Record<string, unknown> = {}) => ({
  page: 'widget',
  type: 'TypeError',
  message: `Cannot read properties of undefined (reading 'id') ${Math.random()}`,
  stack: 'TypeError: Cannot read properties of undefined\n    at send (http://localhost:3000/assets/index-abc.js:1:200)',
  url: `http://localhost:3000/?embed=1&lang=fr#ticket=7b0c2c44-3c1f-4a7e-9a57-0f1c9b7b6c11&token=${TOKEN}`,
  ...extra,
});
const post = (payload: unknown, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'POST', url: '/api/client-errors', payload: payload as object, headers: { 'user-agent': 'Mozilla/5.0 TestBrowser', ...headers } });
type Row = { source: string; error_type: string; message: string; stack: string | null; context: Record<string, unknown> };
const rowsLike = async (text: string) =>
  (await ctx.testDb.db.query<Row>(`SELECT source, error_type, message, stack, context FROM error_logs WHERE message LIKE $1`, [`%${text}%`])).rows;
const countAll = async () => (await ctx.testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM error_logs')).rows[0]!.n;

describe('POST /api/client-errors', () => {
  it('stores the report in error_logs as a client error with its page, address, user agent and release', async () => {
    const body = report();
    const res = await post(body);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 1 });
    const rows = await rowsLike(body.message);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source: 'client', error_type: 'TypeError', message: body.message, stack: body.stack });
    expect(rows[0]!.context).toEqual({
      page: 'widget',
      url: 'http://localhost:3000/',
      userAgent: 'Mozilla/5.0 TestBrowser',
      release: ctx.app.config.release,
    });
    expect(ctx.app.config.release).toMatch(/^tasty-food-support@\d+\.\d+\.\d+/);
  });

  it('keeps no token: not from the address, the message, the stack or the user agent', async () => {
    const marker = `marker-${Math.random()}`;
    const res = await post(
      report({
        message: `${marker} fetch failed: Authorization: Bearer ${TOKEN} token=${TOKEN}`,
        stack: `Error at http://localhost:3000/?token=${TOKEN}#token=${TOKEN}\n at password: hunter2`,
        url: `http://localhost:3000/conversation/${TOKEN}?token=${TOKEN}`,
      }),
      { 'user-agent': `Agent ${TOKEN}`, authorization: `Bearer ${TOKEN}` },
    );
    expect(res.statusCode).toBe(202);
    const rows = await rowsLike(marker);
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows[0]);
    expect(stored).not.toContain(TOKEN);
    expect(stored).not.toContain('hunter2');
    expect(stored).toContain('[redacted]');
    expect(rows[0]!.context.url).toBe('http://localhost:3000/conversation/[redacted]');
  });

  it.each([
    ['an unknown page', report({ page: 'admin' })],
    ['an empty message', report({ message: '' })],
    ['a message over 1000 characters', report({ message: 'x'.repeat(CLIENT_ERROR_LIMITS.messageMaxChars + 1) })],
    ['a stack that is not a string', report({ stack: 42 })],
    ['a missing url', { page: 'widget', message: 'no url' }],
    ['an unknown field', report({ cookie: 'a=b' })],
    ['a NUL byte (PostgreSQL refuses it)', report({ message: 'bad\u0000byte' })],
    ['a lone surrogate', report({ stack: 'bad \ud800 surrogate' })],
  ])('refuses %s with 400 and stores nothing', async (_label, payload) => {
    const before = await countAll();
    const res = await post(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_request');
    expect(await countAll()).toBe(before);
  });

  it('refuses a body over 16 KB with 413 and stores nothing', async () => {
    const before = await countAll();
    const res = await post({ ...report(), stack: 'y'.repeat(CLIENT_ERROR_LIMITS.bodyMaxBytes) });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
    expect(await countAll()).toBe(before);
  });

  it('limits each address to 30 reports a minute, then answers 429 with Retry-After', async () => {
    const { testDb } = ctx;
    const app = await buildApp({ db: testDb.db, config: testConfig({ rateLimit: true }) });
    try {
      const send = () => app.inject({ method: 'POST', url: '/api/client-errors', payload: report() });
      const statuses = [];
      for (let i = 0; i < 31; i++) statuses.push((await send()).statusCode);
      expect(statuses.slice(0, 30).every((s) => s === 202)).toBe(true);
      const refused = await send();
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['retry-after']).toBeDefined();
    } finally {
      await app.close();
    }
  });
});

describe('redactText', () => {
  it('keeps ids (UUIDs) and plain words, hides bearer tokens, key=value secrets, URL passwords and long opaque strings', () => {
    const id = '7b0c2c44-3c1f-4a7e-9a57-0f1c9b7b6c11';
    expect(redactText(`ticket ${id} not found`)).toBe(`ticket ${id} not found`);
    expect(redactText(`Bearer ${TOKEN}`)).toBe('Bearer [redacted]');
    expect(redactText('{"password":"s3cret!"}')).toBe('{"password":"[redacted]"}');
    expect(redactText('postgres://tasty:s3cret@db:5432/x')).toBe('postgres://[redacted]@db:5432/x');
    expect(redactText(`see ${TOKEN}.`)).toBe('see [redacted].');
  });
});
