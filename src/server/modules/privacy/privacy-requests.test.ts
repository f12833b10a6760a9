import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { createLoggedInAgent } from '../../test/agent-factories.ts';
import { testConfig, useTestApp } from '../../test/test-app.ts';
import { deliverOutboxToDevMailbox } from './fixtures.ts';

const ctx = useTestApp();

async function newCustomer() {
  const email = `asks.${randomBytes(4).toString('hex')}@example.com`;
  const res = await ctx.app.inject({ method: 'POST', url: '/api/tickets', payload: { email, message: 'Ma commande est en retard.', lang: 'fr' } });
  expect(res.statusCode).toBe(201);
  return { email, ticketId: res.json().ticket.id as string };
}

const deliverOutbox = () => deliverOutboxToDevMailbox(ctx.testDb.db, ctx.app.config);

async function lastMailTo(email: string) {
  const { rows } = await ctx.testDb.db.query<{ subject: string; text_body: string; html_body: string }>(
    `SELECT subject, text_body, html_body FROM dev_mailbox WHERE recipient = $1 ORDER BY created_at DESC LIMIT 1`,
    [email],
  );
  return rows[0]!;
}

const linkToken = (text: string) => /\/privacy\/confirm#([A-Za-z0-9_-]{43})/.exec(text)?.[1];

describe('privacy: customers’ requests (POST /api/privacy/requests)', () => {
  it('answers 202 with the same body for a known and an unknown address, and mails only the known one', async () => {
    const { email } = await newCustomer();
    const unknown = `nobody.${randomBytes(4).toString('hex')}@example.com`;
    const known = await ctx.app.inject({ method: 'POST', url: '/api/privacy/requests', payload: { email, kind: 'export', lang: 'nl' } });
    const stranger = await ctx.app.inject({ method: 'POST', url: '/api/privacy/requests', payload: { email: unknown, kind: 'export', lang: 'nl' } });
    expect([known.statusCode, stranger.statusCode]).toEqual([202, 202]);
    expect(known.body).toBe(stranger.body);
    expect(known.json()).toEqual({ accepted: true });
    const { rows } = await ctx.testDb.db.query<{ recipient_email: string; email_type: string }>(
      `SELECT recipient_email, email_type FROM email_queue WHERE recipient_email = ANY($1::text[]) AND request_id IS NULL`,
      [[email, unknown]],
    );
    expect(rows).toEqual([{ recipient_email: email, email_type: 'privacy_export' }]);
  });

  it('completes an export through the e-mailed link: the mail in the request’s language, the document on confirmation', async () => {
    const { email, ticketId } = await newCustomer();
    await ctx.app.inject({ method: 'POST', url: '/api/privacy/requests', payload: { email, kind: 'export', lang: 'nl' } });
    await deliverOutbox();
    const mail = await lastMailTo(email);
    expect(mail.subject).toContain('kopie van je gegevens');
    const token = linkToken(mail.text_body)!;
    expect(token).toBeDefined();
    // Only the token's hash is stored.
    const stored = await ctx.testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM privacy_requests WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`, [token]);
    expect(stored.rows[0]).toEqual({ n: 1 });

    const done = await ctx.app.inject({ method: 'POST', url: '/api/privacy/requests/confirm', payload: { token } });
    expect(done.statusCode).toBe(200);
    expect(done.headers['content-disposition']).toMatch(/^attachment;/);
    expect(done.json().tickets.map((t: { id: string }) => t.id)).toEqual([ticketId]);
    expect(done.json().tickets[0].notes).toBeUndefined();
  });

  it('completes an erasure through the page’s form, and the link works no more afterwards', async () => {
    const { email, ticketId } = await newCustomer();
    const form = await ctx.app.inject({
      method: 'POST',
      url: '/api/privacy/requests',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ email, kind: 'erase', lang: 'en' }).toString(),
    });
    expect(form.statusCode).toBe(202);
    expect(form.headers['content-type']).toMatch(/^text\/html/);
    expect(form.body).toContain('If we keep data about this address');
    await deliverOutbox();
    const token = linkToken((await lastMailTo(email)).text_body)!;

    const page = await ctx.app.inject({ method: 'GET', url: '/privacy/confirm?lang=en' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('action="/api/privacy/requests/confirm"');
    expect(page.body).toContain('<script src="/privacy/confirm.js" defer></script>');

    const confirm = () =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/privacy/requests/confirm',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `token=${token}`,
      });
    const done = await confirm();
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Your data has been erased');
    const { rows } = await ctx.testDb.db.query<{ email: string; message: string }>('SELECT email, message FROM support_requests WHERE id = $1', [ticketId]);
    expect(rows[0]!.email).toMatch(/^[0-9a-f]{32}@erased\.invalid$/);
    expect(rows[0]!.message).toBe('[erased]');

    const again = await confirm();
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe('not_found');
  });

  it('refuses bad input with 400 and an unknown link with 404, in the contract’s error shape', async () => {
    for (const payload of [{ email: 'x@example.com' }, { email: 'not-an-address', kind: 'export' }, { email: 'x@example.com', kind: 'delete' }, { email: 'x@example.com', kind: 'export', lang: 'de' }]) {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/privacy/requests', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
    expect((await ctx.app.inject({ method: 'POST', url: '/api/privacy/requests/confirm', payload: { token: 'short' } })).statusCode).toBe(400);
    const unknown = await ctx.app.inject({ method: 'POST', url: '/api/privacy/requests/confirm', payload: { token: 'A'.repeat(43) } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({ code: 'not_found', message: expect.stringMatching(/lien|link/i) });
  });

  it('serves the privacy page with the retention periods in effect and the request form', async () => {
    const page = await ctx.app.inject({ method: 'GET', url: '/privacy?lang=fr' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('730');
    expect(page.body).toContain('action="/api/privacy/requests"');
    expect((await ctx.app.inject({ method: 'GET', url: '/privacy?lang=xx' })).statusCode).toBe(400);
  });

  it('without PRIVACY_URL, /privacy (the widget’s link) is the built-in page, and the settings say so', async () => {
    const page = await ctx.app.inject({ method: 'GET', url: '/privacy?lang=en' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers.location).toBeUndefined();
    const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
    const settings = await ctx.app.inject({ method: 'GET', url: '/api/agent/privacy/settings', headers: { cookie: admin.cookie } });
    expect(settings.json().privacyUrl).toBeNull();
  });

  it('with PRIVACY_URL, /privacy (the widget’s link) redirects to the operator’s notice, in any language, and the settings name it', async () => {
    const privacyUrl = 'https://www.tastyfood.example/en/privacy-notice';
    const app = await buildApp({ db: ctx.testDb.db, config: testConfig({ privacyUrl }) });
    try {
      for (const url of ['/privacy', '/privacy?lang=nl']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(302);
        expect(res.headers.location, url).toBe(privacyUrl);
        expect(res.body, url).not.toContain('action="/api/privacy/requests"');
      }
      // Bad input is still refused, before the redirect.
      expect((await app.inject({ method: 'GET', url: '/privacy?lang=xx' })).statusCode).toBe(400);
      const admin = await createLoggedInAgent(app, { role: 'admin' });
      const settings = await app.inject({ method: 'GET', url: '/api/agent/privacy/settings', headers: { cookie: admin.cookie } });
      expect(settings.json().privacyUrl).toBe(privacyUrl);
      // The request form's own routes stay, for the operator's notice to link to.
      expect((await app.inject({ method: 'GET', url: '/privacy/confirm?lang=en' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
