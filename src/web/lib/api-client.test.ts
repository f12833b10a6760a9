import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, apiRequest, backoffDelay, friendlyErrorKey, retryWithBackoff, setApiFetch } from './api-client.ts';

afterEach(() => setApiFetch(null));

function fakeFetch(answers: (() => Response | Promise<Response>)[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  setApiFetch(async (url, init) => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    return next();
  });
  return calls;
}
const json = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const fast = { initialDelay: 1, maxDelay: 2 };

describe('apiRequest', () => {
  it('sends JSON with the bearer token and parses the answer', async () => {
    const calls = fakeFetch([json(201, { ok: true })]);
    const res = await apiRequest('/api/x', { method: 'POST', body: { a: 1 }, token: 'tok', query: { n: 2, skip: undefined } });
    expect(res).toEqual({ ok: true });
    expect(calls[0]!.url).toBe('/api/x?n=2');
    expect((calls[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer tok');
    expect(calls[0]!.init.body).toBe('{"a":1}');
  });

  it('turns an error answer into an ApiError with code, message and Retry-After', async () => {
    fakeFetch([json(429, { error: { code: 'rate_limited', message: 'Trop' } }, { 'retry-after': '30' })]);
    const err = await apiRequest('/api/x', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 429, code: 'rate_limited', message: 'Trop', retryAfterSeconds: 30 });
  });

  it('retries a GET after a 5xx and a network error, then succeeds', async () => {
    const calls = fakeFetch([json(503, { error: { code: 'unavailable', message: 'x' } }), () => Promise.reject(new TypeError('fetch failed')), json(200, { ok: 1 })]);
    expect(await apiRequest('/api/x', { retry: fast })).toEqual({ ok: 1 });
    expect(calls).toHaveLength(3);
  });

  it('never retries a 4xx', async () => {
    const calls = fakeFetch([json(404, { error: { code: 'not_found', message: 'x' } }), json(200, {})]);
    await expect(apiRequest('/api/x', { retry: fast })).rejects.toMatchObject({ status: 404 });
    expect(calls).toHaveLength(1);
  });

  it('does not retry a POST unless told it is idempotent', async () => {
    const calls = fakeFetch([json(500, { error: { code: 'internal', message: 'x' } }), json(201, {})]);
    await expect(apiRequest('/api/x', { method: 'POST', body: {} })).rejects.toMatchObject({ status: 500 });
    expect(calls).toHaveLength(1);
  });
});

describe('retryWithBackoff', () => {
  it('gives up after maxRetries and rethrows the last error', async () => {
    let n = 0;
    const err = new ApiError({ status: 502, code: 'internal', message: 'x' });
    await expect(retryWithBackoff(async () => { n++; throw err; }, { ...fast, maxRetries: 2 })).rejects.toBe(err);
    expect(n).toBe(3);
  });

  it('doubles the delay and caps it', () => {
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, 1000, 30_000))).toEqual([1000, 2000, 4000, 8000, 30_000]);
  });
});

describe('friendlyErrorKey', () => {
  it('maps offline, 5xx, 404, 429 and the rest to the seed texts', () => {
    expect(friendlyErrorKey(new ApiError({ status: 500, code: 'internal', message: '' }), false)).toBe('errors.offline');
    expect(friendlyErrorKey(new ApiError({ status: 503, code: 'unavailable', message: '' }), true)).toBe('errors.server');
    expect(friendlyErrorKey(new ApiError({ status: 404, code: 'not_found', message: '' }), true)).toBe('errors.not_found');
    expect(friendlyErrorKey(new ApiError({ status: 429, code: 'rate_limited', message: '' }), true)).toBe('errors.rate_limited');
    expect(friendlyErrorKey(new ApiError({ status: 400, code: 'invalid_request', message: '' }), true)).toBe('errors.unexpected');
  });
});
