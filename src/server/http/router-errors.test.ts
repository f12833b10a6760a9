import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../i18n.ts';
import { useTestApp } from '../test/test-app.ts';

const ctx = useTestApp();
/** The contract's message for invalid_request in a language (locales/<lang>/errors.json). */
const invalidRequest = (lang: 'fr' | 'en' | 'nl') => translator(lang)('errors:invalid_request');

/** What every answer of the API carries (helmet), errors included. */
function expectSecurityHeaders(headers: Record<string, unknown>) {
  expect(String(headers['content-security-policy'])).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
}

/** One HTTP/1.1 request written byte for byte on a socket: no client library normalises the URL first. */
function rawRequest(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => (data += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const [head, ...rest] = data.split('\r\n\r\n');
      const [statusLine, ...lines] = head!.split('\r\n');
      const parsed: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        parsed[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: Number(statusLine!.split(' ')[1]), headers: parsed, body: rest.join('\r\n\r\n') });
    });
    const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}Connection: close\r\n\r\n`);
  });
}

const LONG_ID = 'a'.repeat(300);

describe('URLs the router cannot read (issue 13)', () => {
  it.each([
    ['a malformed percent-escape', '/api/tickets/%ff'],
    ['a parameter over the maximum length', `/api/tickets/${LONG_ID}`],
  ])('answers %s with 400, the contract’s error in the caller’s language and the security headers', async (_label, url) => {
    const res = await ctx.app.inject({ url, headers: { 'accept-language': 'en' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'invalid_request', message: invalidRequest('en') } });
    expectSecurityHeaders(res.headers);
    expect(res.body).not.toContain('FST_ERR');
    expect(res.body).not.toContain(url.slice(5));
  });

  it('answers in French by default', async () => {
    const res = await ctx.app.inject({ url: '/api/tickets/%ff/messages' });
    expect(res.json()).toEqual({ error: { code: 'invalid_request', message: invalidRequest('fr') } });
  });

  describe('over a real socket', () => {
    let port = 0;
    beforeAll(async () => {
      await ctx.app.listen({ port: 0, host: '127.0.0.1' });
      port = (ctx.app.server.address() as net.AddressInfo).port;
    });
    afterAll(() => ctx.app.server.close());

    it.each([
      ['a malformed percent-escape', '/api/tickets/%ff'],
      ['an over-long parameter', `/api/tickets/${LONG_ID}`],
      ['an overlong UTF-8 encoding', '/api/tickets/%C0%AF/messages'],
    ])('a GET with %s answers 400 in the contract’s shape with the security headers, echoing nothing', async (_label, path) => {
      const res = await rawRequest(port, path, { 'accept-language': 'nl' });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expectSecurityHeaders(res.headers);
      const body = JSON.parse(res.body) as { error: { code: string; message: string } };
      expect(body).toEqual({ error: { code: 'invalid_request', message: invalidRequest('nl') } });
      expect(res.body).not.toContain('FST_ERR');
      expect(res.body).not.toContain(path.slice(13, 30));
    });

    it('still serves the next request normally on the same server', async () => {
      const res = await rawRequest(port, '/api/faq?lang=en');
      expect(res.status).toBe(200);
    });
  });
});
