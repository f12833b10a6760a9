import { describe, expect, it } from 'vitest';
import { EMBED_CHECK_PATH, embedCheckResponseSchema } from '../../../contracts/embed.ts';
import { useTestApp } from '../../test/test-app.ts';

const SITE = 'https://www.tastyfood.example';
const PUBLIC_URL = 'https://support.tastyfood.example';
const ctx = useTestApp({ allowedOrigins: [SITE], publicUrl: PUBLIC_URL });

const check = (headers: Record<string, string>) => ctx.app.inject({ url: EMBED_CHECK_PATH, headers });

describe('GET /api/widget/embed-check', () => {
  it('says a site of ALLOWED_ORIGINS may embed the chat', async () => {
    const res = await check({ origin: SITE });
    expect(res.statusCode).toBe(200);
    expect(embedCheckResponseSchema.parse(res.json())).toEqual({ allowed: true, origin: SITE });
  });

  it('tells another site it may not, in an answer that site can read (CORS open to all), cached per Origin', async () => {
    const res = await check({ origin: 'https://other-restaurant.example' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ allowed: false, origin: 'https://other-restaurant.example' });
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(String(res.headers.vary)).toContain('Origin');
    expect(String(res.headers['cache-control'])).toMatch(/max-age=\d+/);
  });

  it('allows the server itself under any name it was reached by, and a same-origin request without Origin', async () => {
    expect((await check({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' })).json()).toMatchObject({ allowed: true });
    expect((await check({ origin: PUBLIC_URL, host: 'internal:8080' })).json()).toMatchObject({ allowed: true });
    expect((await check({})).json()).toEqual({ allowed: true, origin: null });
  });
});
