import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/test-app.ts';
import { FAVICON_MAX_AGE_SECONDS } from './web.routes.ts';

const ctx = useTestApp();

describe('favicon', () => {
  it('answers GET /favicon.ico with 200, an ICO image and a long cache', async () => {
    const res = await ctx.app.inject({ url: '/favicon.ico' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\//);
    expect(res.headers['cache-control']).toBe(`public, max-age=${FAVICON_MAX_AGE_SECONDS}`);
    // An ICO file starts with reserved 0, type 1 (icon).
    expect([...res.rawPayload.subarray(0, 4)]).toEqual([0, 0, 1, 0]);
  });

  it('answers GET /favicon.svg with the brand-red SVG the pages link', async () => {
    const res = await ctx.app.inject({ url: '/favicon.svg' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(res.body).toContain('#a4161a');
  });
});
