import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { PrivacyExport } from '../../../contracts/privacy.ts';
import type { PgliteDb } from '../../db/pglite.ts';
import { createLoggedInAgent } from '../../test/agent-factories.ts';
import { sendMessageViaApi } from '../../test/factories.ts';
import { multipartBody } from '../../test/multipart.ts';
import { useTestApp } from '../../test/test-app.ts';
import { onPostgres } from '../../test/test-db.ts';
import { deliverOutboxToDevMailbox } from './fixtures.ts';

const INBOUND_SECRET = 'privacy-inbound-secret-0123456789';
// The inbound webhook is on: the customer also answers by e-mail (modules/inbound-email).
const ctx = useTestApp({ inboundEmailSecret: INBOUND_SECRET });
// An erasure on the embedded database compacts it (VACUUM FULL of the tables it rewrote, then the log):
// seconds on an idle machine, a minute or more on a busy one. Not a timing assertion: room to finish.
const ERASURE_TEST_TIMEOUT_MS = 300_000;
const run = promisify(execFile);

/** A PDF the upload accepts as it is, carrying a byte sequence found nowhere else. */
function pdfWith(marker: string): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj\n<< /Marker (${marker}) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`, 'latin1');
}

/** Everything the database holds, as bytes: pg_dump --data-only of the test's schema, or the embedded database's own dump (its files, WAL included). */
async function dumpDatabase(): Promise<Buffer> {
  if (onPostgres) {
    const { stdout } = await run('pg_dump', ['--data-only', `--schema=${ctx.testDb.schema}`, ctx.testDb.url!], { maxBuffer: 512 * 1024 * 1024, encoding: 'buffer' });
    return stdout as unknown as Buffer;
  }
  const blob = await (ctx.testDb.db as PgliteDb).dump();
  return gunzipSync(Buffer.from(await blob.arrayBuffer()));
}

/** Whether the dump holds `needle` (text as UTF-8; bytes also as pg_dump's hex form of a bytea). */
function holds(dump: Buffer, needle: string | Buffer): boolean {
  if (typeof needle === 'string') return dump.includes(Buffer.from(needle, 'utf8'));
  return dump.includes(needle) || dump.includes(Buffer.from(needle.toString('hex'), 'latin1'));
}

async function api(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, cookie: string | null, payload?: unknown, token?: string) {
  return ctx.app.inject({
    method,
    url,
    headers: { ...(cookie ? { cookie } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

/**
 * A customer with everything the system can keep about one: two tickets (one from a bot thread), messages
 * in French, English and Dutch, an agent's reply and note, a PDF, a rating, an order, e-mails sent (the dev
 * mailbox's copies), an e-mail from the customer answering the agent's (through the inbound webhook, as a
 * provider delivers it), and the address in an error log and a client metric.
 */
async function seedCustomer() {
  const tag = randomBytes(4).toString('hex');
  const email = `privacy.${tag}@example.com`;
  const texts = {
    bot: `Est-ce que le menu ${tag} contient des arachides au sésame ?`,
    fr: `Bonjour, ma commande ${tag} est arrivée froide et sans sauce.`,
    en: `Hello, the burger ${tag} had no cheese at all, please help.`,
    nl: `Hallo, mijn bestelling ${tag} was koud en te laat geleverd.`,
    second: `Une deuxième demande ${tag} au sujet de ma facture.`,
    reply: `Nous sommes désolés ${tag}, un bon de réduction vous attend.`,
    note: `Client fidèle ${tag}, rappeler avant 18 h.`,
    rating: `Très bon service ${tag} malgré tout.`,
    inbound: `Merci, mais le bon ${tag} ne fonctionne pas sur l'application.`,
  };
  // The customer's mail client names its message after the customer's own domain.
  const inboundMessageId = `<reply-${tag}.${randomUUID()}@mail.example.com>`;
  const fileMarker = `ZQX-FILE-BYTES-${tag}-${randomUUID()}`;
  const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });

  const ask = await api('POST', '/api/chat/ask', null, { text: texts.bot, lang: 'fr' });
  expect(ask.statusCode).toBe(200);
  const conversationToken = ask.json().conversationToken as string;
  const first = await api('POST', '/api/tickets', null, { email, message: texts.fr, lang: 'fr', conversationToken });
  expect(first.statusCode).toBe(201);
  const { ticket, token } = first.json() as { ticket: { id: string }; token: string };
  expect((await sendMessageViaApi(ctx.app, ticket, token, texts.en)).statusCode).toBe(201);
  expect((await sendMessageViaApi(ctx.app, ticket, token, texts.nl)).statusCode).toBe(201);
  const second = await api('POST', '/api/tickets', null, { email: email.toUpperCase(), message: texts.second, lang: 'nl', orderNumber: `TF-${tag}` });
  expect(second.statusCode).toBe(201);

  const upload = multipartBody([{ name: 'file', filename: 'receipt.pdf', contentType: 'application/pdf', bytes: pdfWith(fileMarker) }]);
  const uploaded = await ctx.app.inject({
    method: 'POST',
    url: `/api/tickets/${ticket.id}/attachments`,
    headers: { ...upload.headers, authorization: `Bearer ${token}` },
    payload: upload.payload,
  });
  expect(uploaded.statusCode).toBe(201);

  expect((await api('POST', `/api/agent/tickets/${ticket.id}/messages`, admin.cookie, { body: texts.reply })).statusCode).toBe(201);
  expect((await api('POST', `/api/agent/tickets/${ticket.id}/notes`, admin.cookie, { body: texts.note })).statusCode).toBe(201);
  expect((await api('PATCH', `/api/agent/tickets/${ticket.id}`, admin.cookie, { status: 'resolved' })).statusCode).toBe(200);
  expect((await api('POST', `/api/tickets/${ticket.id}/rating`, null, { score: 4, comment: texts.rating }, token)).statusCode).toBe(201);

  const db = ctx.testDb.db;
  const orderNumber = `TFP${tag.toUpperCase()}`;
  await db.query(
    `INSERT INTO orders (number, email, status, items, source_updated_at, tracking_token) VALUES ($1, $2, 'delivered', '[{"name":"Burger halal"}]', now(), $3)`,
    [orderNumber, email, randomBytes(24).toString('hex')],
  );
  await db.query(`INSERT INTO error_logs (source, error_type, message, context) VALUES ('client', 'Error', $1, $2)`, [
    `fetch failed for ${email}`,
    JSON.stringify({ url: `/track?email=${email}` }),
  ]);
  await db.query(`INSERT INTO client_metrics (name, value, client_ts, metadata) VALUES ('lcp', 1200, now(), $1)`, [JSON.stringify({ page: `/?email=${email}` })]);
  // The outbox's e-mails, "sent" into the dev mailbox (no SMTP_URL): the copies hold the address and the reply.
  const sent: NonNullable<Parameters<typeof deliverOutboxToDevMailbox>[2]> = [];
  await deliverOutboxToDevMailbox(db, ctx.app.config, sent);
  const mailed = await db.query(`SELECT count(*)::int AS n FROM dev_mailbox WHERE recipient = $1 OR recipient = $2`, [email, email.toUpperCase()]);
  expect(mailed.rows[0]).toEqual({ n: 3 });

  // The customer presses "Reply" on the agent's e-mail: it reaches the ticket through the inbound webhook.
  const agentMail = sent.find((m) => m.to === email && m.text.includes(texts.reply))!;
  expect(agentMail.replyTo).toMatch(new RegExp(`^reply\\+${ticket.id}\\.`));
  const raw = [
    `From: ${email}`,
    `To: ${agentMail.replyTo}`,
    `Subject: Re: ${agentMail.subject}`,
    `Message-ID: ${inboundMessageId}`,
    `In-Reply-To: ${agentMail.messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    texts.inbound,
  ].join('\r\n');
  const inbound = await ctx.app.inject({
    method: 'POST',
    url: '/api/inbound/email',
    headers: { authorization: `Bearer ${INBOUND_SECRET}`, 'content-type': 'message/rfc822' },
    payload: raw,
  });
  expect(inbound.statusCode).toBe(202);
  expect(inbound.json()).toEqual({ result: 'accepted', ticketId: ticket.id });

  return { email, tag, texts, fileMarker, inboundMessageId, admin, ticketId: ticket.id, secondId: second.json().ticket.id as string, orderNumber, token };
}

async function analyticsTotals(cookie: string) {
  const res = await api('GET', '/api/agent/analytics', cookie);
  expect(res.statusCode).toBe(200);
  const { rows } = await ctx.testDb.db.query<{ metric_type: string; n: number }>(
    `SELECT metric_type, count(*)::int AS n FROM support_analytics GROUP BY metric_type ORDER BY metric_type`,
  );
  const tickets = await ctx.testDb.db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM support_requests GROUP BY status ORDER BY status`);
  // Ratings' comments are the customer's words: erased with the rest (checked apart); every figure stays.
  const figures = JSON.parse(JSON.stringify(res.json(), (key, value: unknown) => (key === 'comment' ? undefined : value)));
  return { figures, metrics: rows, tickets: tickets.rows };
}

describe('privacy: export and erasure of one address', () => {
  it('exports every item, then erases so that a full dump holds neither the address, nor a message, nor the file, with analytics unchanged', async () => {
    const c = await seedCustomer();

    const exported = await api('POST', '/api/agent/privacy/export', c.admin.cookie, { email: c.email, includeNotes: true });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-disposition']).toMatch(/^attachment; filename="privacy-export-/);
    const doc = exported.json() as PrivacyExport;
    expect(doc.tickets.map((t) => t.id).sort()).toEqual([c.ticketId, c.secondId].sort());
    const first = doc.tickets.find((t) => t.id === c.ticketId)!;
    const bodies = doc.tickets.flatMap((t) => t.messages.map((m) => m.body));
    for (const text of [c.texts.fr, c.texts.en, c.texts.nl, c.texts.second, c.texts.reply, c.texts.inbound]) expect(bodies).toContain(text);
    expect(first.inboundEmails).toEqual([{ from: c.email, via: 'webhook', createdAt: expect.any(String) }]);
    expect(first.attachments).toHaveLength(1);
    expect(Buffer.from(first.attachments[0]!.contentBase64!, 'base64').toString('latin1')).toContain(c.fileMarker);
    expect(first.rating).toMatchObject({ score: 4, comment: c.texts.rating });
    expect(first.botThreads).toHaveLength(1);
    expect(first.botThreads[0]!.turns.map((t) => t.body)).toContain(c.texts.bot);
    expect(JSON.stringify(first.notes)).toContain(c.texts.note);
    expect(doc.orders.map((o) => o.number)).toEqual([c.orderNumber]);
    expect(doc.languagePreference).toBe('fr');
    expect(doc.emails.length).toBe(3);
    expect(doc.emails.map((e) => e.type).sort()).toEqual(['agent_reply', 'created', 'created']);
    expect(doc.emails.some((e) => e.text?.includes(c.texts.reply))).toBe(true);

    const secrets: (string | Buffer)[] = [c.email, ...Object.values(c.texts), c.inboundMessageId.slice(1, -1), Buffer.from(c.fileMarker, 'latin1')];
    const before = await dumpDatabase();
    // The search finds what is there: otherwise the check after the erasure would prove nothing.
    for (const s of secrets) expect(holds(before, s), `before erasure: ${String(s)}`).toBe(true);
    const totals = await analyticsTotals(c.admin.cookie);

    const erased = await api('POST', '/api/agent/privacy/erase', c.admin.cookie, { email: c.email });
    expect(erased.statusCode).toBe(200);
    expect(erased.json().erased).toMatchObject({ tickets: 2, attachments: 1, notes: 1, emails: 3, inboundEmails: 1, orders: 1, botThreads: 1, errorLogs: 1, clientMetrics: 1 });
    expect(erased.json().erased.messages).toBeGreaterThanOrEqual(7);

    const after = await dumpDatabase();
    for (const s of secrets) expect(holds(after, s), `after erasure: ${String(s)}`).toBe(false);
    expect(await analyticsTotals(c.admin.cookie)).toEqual(totals);

    // The customer's old link opens nothing any more, and a second export finds nothing under the address.
    expect((await api('GET', `/api/tickets/${c.ticketId}`, null, undefined, c.token)).statusCode).toBeGreaterThanOrEqual(401);
    const again = (await api('POST', '/api/agent/privacy/export', c.admin.cookie, { email: c.email })).json() as PrivacyExport;
    expect({ tickets: again.tickets, orders: again.orders, emails: again.emails }).toEqual({ tickets: [], orders: [], emails: [] });

    // The access record names who exported and erased, under the address's pseudonym (not the address).
    const record = await api('GET', `/api/agent/privacy/access-record?email=${encodeURIComponent(c.email)}`, c.admin.cookie);
    expect(record.statusCode).toBe(200);
    const actions = (record.json().entries as { action: string; agentEmail: string | null }[]).map((e) => `${e.action}:${e.agentEmail}`);
    expect(actions).toEqual(expect.arrayContaining([`export:${c.admin.email}`, `erase:${c.admin.email}`]));
  }, ERASURE_TEST_TIMEOUT_MS);

  it('refuses to erase an address with a ticket under legal hold (409 legal_hold), and erases nothing', async () => {
    const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
    const email = `held.${randomBytes(4).toString('hex')}@example.com`;
    const created = await api('POST', '/api/tickets', null, { email, message: 'Litige en cours sur ma commande.', lang: 'fr' });
    const ticketId = created.json().ticket.id as string;
    const hold = await api('PUT', '/api/agent/privacy/legal-hold', admin.cookie, { ticketId, hold: true });
    expect(hold.statusCode).toBe(200);
    expect(hold.json()).toEqual({ ticketId, legalHold: true });

    const refused = await api('POST', '/api/agent/privacy/erase', admin.cookie, { email });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'conflict', details: { tickets: [ticketId] } });
    expect(refused.json().error.message).toMatch(/legal hold|conservation légale|bewaarplicht/i);
    const { rows } = await ctx.testDb.db.query<{ email: string; message: string }>('SELECT email, message FROM support_requests WHERE id = $1', [ticketId]);
    expect(rows[0]).toEqual({ email, message: 'Litige en cours sur ma commande.' });

    expect((await api('PUT', '/api/agent/privacy/legal-hold', admin.cookie, { ticketId, hold: false })).statusCode).toBe(200);
    expect((await api('POST', '/api/agent/privacy/erase', admin.cookie, { email })).statusCode).toBe(200);
  }, ERASURE_TEST_TIMEOUT_MS);

  it('answers 403 to agents who are not admins, 401 without a session, and 400 to bad input', async () => {
    const agent = await createLoggedInAgent(ctx.app, { role: 'agent' });
    const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
    for (const [method, url, body] of [
      ['POST', '/api/agent/privacy/export', { email: 'a@example.com' }],
      ['POST', '/api/agent/privacy/erase', { email: 'a@example.com' }],
      ['PUT', '/api/agent/privacy/legal-hold', { ticketId: randomUUID(), hold: true }],
      ['GET', '/api/agent/privacy/access-record', undefined],
      ['GET', '/api/agent/privacy/settings', undefined],
    ] as const) {
      const asAgent = await api(method, url, agent.cookie, body);
      expect(asAgent.statusCode, `${method} ${url}`).toBe(403);
      expect(asAgent.json().error.code).toBe('forbidden');
      expect((await api(method, url, null, body)).statusCode, `${method} ${url} without session`).toBe(401);
    }
    for (const body of [{}, { email: 'not an address' }, { email: 'a@example.com', extra: 1 }]) {
      const res = await api('POST', '/api/agent/privacy/erase', admin.cookie, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
    expect((await api('PUT', '/api/agent/privacy/legal-hold', admin.cookie, { ticketId: 'nope', hold: true })).statusCode).toBe(400);
    expect((await api('PUT', '/api/agent/privacy/legal-hold', admin.cookie, { ticketId: randomUUID(), hold: true })).statusCode).toBe(404);
    expect((await api('GET', '/api/agent/privacy/access-record?limit=0', admin.cookie)).statusCode).toBe(400);
    const settings = await api('GET', '/api/agent/privacy/settings', admin.cookie);
    expect(settings.json()).toMatchObject({ closedTicketsDays: 730, sentEmailsDays: 90, accessRecordDays: 365, botThreadsDays: 30, errorLogsDays: 90, clientMetricsDays: 30 });
  });

  it('records an agent opening a ticket once per ten minutes, under the pseudonym of its address', async () => {
    const agent = await createLoggedInAgent(ctx.app, { role: 'agent' });
    const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
    const email = `viewed.${randomBytes(4).toString('hex')}@example.com`;
    const ticketId = (await api('POST', '/api/tickets', null, { email, message: 'Bonjour', lang: 'fr' })).json().ticket.id as string;
    for (let i = 0; i < 3; i++) expect((await api('GET', `/api/agent/tickets/${ticketId}`, agent.cookie)).statusCode).toBe(200);
    // The hook writes after the answer left: wait for its line.
    let entries: { action: string; agentId: string; ticketId: string; subject: string }[] = [];
    for (let i = 0; i < 50 && entries.length === 0; i++) {
      entries = (await api('GET', `/api/agent/privacy/access-record?email=${encodeURIComponent(email)}`, admin.cookie)).json().entries;
      if (entries.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(entries.map((e) => [e.action, e.agentId, e.ticketId])).toEqual([['view', agent.id, ticketId]]);
    expect(entries[0]!.subject).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(entries)).not.toContain(email);
  });
});
