import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Lang } from '../../../contracts/common.ts';
import { createLoggedInAgent } from '../../test/agent-factories.ts';
import { createTicketViaApi, uniqueEmail } from '../../test/factories.ts';
import { useTestApp } from '../../test/test-app.ts';
import { appendMessage } from '../tickets/index.ts';
import { EMAILS_PER_RECIPIENT_PER_HOUR, enqueueEmail } from './email.repo.ts';
import { headerSafe, SUBJECT_MAX_CHARS } from './email-templates.ts';
import { DevMailboxTransport, SmtpTransport, type MailTransport } from './email-transport.ts';
import { EMAIL_MAX_ATTEMPTS, EmailWorker, type EmailWorkerOptions } from './email-worker.ts';
import { SmtpSink, type ReceivedMail } from '../../test/smtp-sink.ts';

const ctx = useTestApp();
const silent = pino({ level: 'silent' });
let sink: SmtpSink;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  sink = await SmtpSink.start();
});
afterEach(() => {
  sink.refuseRecipient = () => null;
  sink.refuseData = () => null;
});
afterAll(async () => {
  for (const close of closers.splice(0)) await close();
  await sink.close();
});

type QueueRow = {
  id: string;
  status: string;
  retry_count: number;
  last_error: string | null;
  next_retry_at: Date;
  last_attempt_at: Date | null;
  locked_by: string | null;
};

function newWorker(options: Partial<EmailWorkerOptions> & { transport?: MailTransport } = {}): EmailWorker {
  const transport = options.transport ?? new SmtpTransport(sink.url);
  closers.push(() => transport.close());
  return new EmailWorker({
    db: ctx.testDb.db,
    logger: silent,
    publicUrl: ctx.app.config.publicUrl,
    from: ctx.app.config.emailFrom,
    retryBaseSeconds: ctx.app.config.emailRetryBaseSeconds,
    leaseSeconds: 30,
    ...options,
    transport,
  });
}

async function queueRows(ticketId: string): Promise<QueueRow[]> {
  const { rows } = await ctx.testDb.db.query<QueueRow>(
    `SELECT id, status, retry_count, last_error, next_retry_at, last_attempt_at, locked_by
       FROM email_queue WHERE request_id = $1 ORDER BY created_at`,
    [ticketId],
  );
  return rows;
}

function mailsTo(address: string): ReceivedMail[] {
  return sink.mails.filter((m) => m.to.includes(address));
}

function linkOf(mail: ReceivedMail): { ticketId: string; token: string } {
  const m = /\/#ticket=([0-9a-f-]{36})&token=([A-Za-z0-9_-]{43})/.exec(mail.text ?? '');
  if (!m) throw new Error(`no conversation link in: ${mail.text}`);
  return { ticketId: m[1]!, token: m[2]! };
}

/** Drains until `done` holds, for rows whose retry falls due a little later. */
async function drainUntil(worker: EmailWorker, done: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await worker.drain();
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What the agents' reply route does: the agent's message and its e-mail in one transaction. */
async function replyAsAgent(ticket: { id: string; email: string; lang: Lang }, body: string) {
  return ctx.testDb.db.transaction(async (tx) => {
    const { message } = await appendMessage(tx, { ticketId: ticket.id, authorType: 'agent', body });
    await enqueueEmail(tx, { requestId: ticket.id, messageId: message.id, type: 'agent_reply', recipient: ticket.email, lang: ticket.lang });
    return message;
  });
}

describe('the created e-mail', () => {
  it('sends one mail in the ticket language whose link opens the ticket in the widget', async () => {
    const { ticket } = await createTicketViaApi(ctx.app, { lang: 'en', message: 'Where is my pizza?' });
    const worker = newWorker();
    await worker.drain();

    const mails = mailsTo(ticket.email);
    expect(mails).toHaveLength(1);
    const [row] = await queueRows(ticket.id);
    expect(row).toMatchObject({ status: 'sent', retry_count: 0, locked_by: null });
    const mail = mails[0]!;
    expect(mail.messageId).toBe(`<${row!.id}@localhost>`);
    expect(mail.subject).toBe(`Tasty Food: we received your request #${ticket.id.slice(0, 8).toUpperCase()}`);
    expect(mail.from).toBe('"Tasty Food Support" <support@localhost>');

    const link = linkOf(mail);
    expect(mail.text).toContain(`${ctx.app.config.publicUrl}/#ticket=${ticket.id}&token=${link.token}`);
    expect(link.ticketId).toBe(ticket.id);
    const res = await ctx.app.inject({ url: `/api/tickets/${ticket.id}`, headers: { authorization: `Bearer ${link.token}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json().ticket.id).toBe(ticket.id);
  });

  it.each([
    ['fr', 'Tasty Food\u00a0: nous avons bien reçu votre demande'],
    ['nl', 'Tasty Food: we hebben je aanvraag'],
  ] as const)('is written in %s when the ticket is', async (lang, subjectStart) => {
    const { ticket } = await createTicketViaApi(ctx.app, { lang });
    await newWorker().drain();
    const [mail] = mailsTo(ticket.email);
    expect(mail!.subject).toMatch(new RegExp(`^${subjectStart}`));
    expect(mail!.html).toContain(`<html lang="${lang}">`);
  });

  it('stores only the hash of the link token, and the link opens no other ticket and stops when expired', async () => {
    const other = await createTicketViaApi(ctx.app);
    const { ticket } = await createTicketViaApi(ctx.app);
    await newWorker().drain();
    const { token } = linkOf(mailsTo(ticket.email)[0]!);

    const stored = await ctx.testDb.db.query<{ token_hash: string; purpose: string }>(
      'SELECT token_hash, purpose FROM ticket_access_tokens WHERE ticket_id = $1',
      [ticket.id],
    );
    expect(stored.rows).toEqual([{ token_hash: expect.stringMatching(/^[0-9a-f]{64}$/), purpose: 'email_link' }]);
    const leaks = await ctx.testDb.db.query(
      `SELECT 1 FROM email_queue WHERE last_error LIKE '%' || $1 || '%'
       UNION ALL SELECT 1 FROM ticket_access_tokens WHERE token_hash = $1
       UNION ALL SELECT 1 FROM dev_mailbox WHERE text_body LIKE '%' || $1 || '%'`,
      [token],
    );
    expect(leaks.rows).toHaveLength(0);

    const elsewhere = await ctx.app.inject({ url: `/api/tickets/${other.ticket.id}`, headers: { authorization: `Bearer ${token}` } });
    expect(elsewhere.statusCode).toBe(404);
    await ctx.testDb.db.query(`UPDATE ticket_access_tokens SET expires_at = now() - interval '1 second' WHERE ticket_id = $1`, [ticket.id]);
    const expired = await ctx.app.inject({ url: `/api/tickets/${ticket.id}`, headers: { authorization: `Bearer ${token}` } });
    expect(expired.statusCode).toBe(404);
  });

  it('keeps the customer text out of the headers: CR/LF in the message cannot add a header or a recipient', async () => {
    const message = 'Hello\r\nBcc: attacker@evil.test\r\nX-Injected: yes\nSubject: pwned';
    const { ticket } = await createTicketViaApi(ctx.app, { lang: 'en', message });
    await newWorker().drain();
    const [mail] = mailsTo(ticket.email);
    expect(mail!.to).toEqual([ticket.email]);
    expect(sink.mails.some((m) => m.to.includes('attacker@evil.test'))).toBe(false);
    expect(mail!.headerNames).not.toContain('bcc');
    expect(mail!.headerNames).not.toContain('x-injected');
    expect(mail!.headerNames.filter((h) => h === 'subject')).toHaveLength(1);
    expect(mail!.subject).not.toMatch(/[\r\n]/);
    expect(mail!.subject).not.toContain('attacker@evil.test');
  });
});

describe('the ticket form is no mail relay', () => {
  it('sends the typed address a created e-mail with none of the typed text, subject or links', async () => {
    const lure = 'Your Tasty Food account is suspended! Confirm your card at https://evil.test/login now';
    const { ticket } = await createTicketViaApi(ctx.app, { lang: 'en', message: lure });
    await newWorker().drain();
    const [mail] = mailsTo(ticket.email);
    expect(mail!.subject).toBe(`Tasty Food: we received your request #${ticket.id.slice(0, 8).toUpperCase()}`);
    for (const part of [mail!.subject, mail!.text, mail!.html]) {
      expect(part).not.toContain('suspended');
      expect(part).not.toContain('evil.test');
    }
  });

  it(`queues at most ${EMAILS_PER_RECIPIENT_PER_HOUR} e-mails an hour to one address; later tickets still open`, async () => {
    const email = uniqueEmail();
    const statuses: number[] = [];
    for (let i = 0; i < EMAILS_PER_RECIPIENT_PER_HOUR + 1; i++) {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/tickets', payload: { email, message: `flood ${i}` }, remoteAddress: `10.40.0.${i + 1}` });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual(Array(EMAILS_PER_RECIPIENT_PER_HOUR + 1).fill(201));
    const queued = await ctx.testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM email_queue WHERE recipient_email = $1', [email]);
    expect(queued.rows[0]!.n).toBe(EMAILS_PER_RECIPIENT_PER_HOUR);
    await newWorker().drain();
    expect(mailsTo(email)).toHaveLength(EMAILS_PER_RECIPIENT_PER_HOUR);

    // The hour moves on: the next ticket's e-mail is queued again.
    await ctx.testDb.db.query(`UPDATE email_queue SET created_at = created_at - interval '61 minutes' WHERE recipient_email = $1`, [email]);
    const later = await ctx.app.inject({ method: 'POST', url: '/api/tickets', payload: { email, message: 'later' }, remoteAddress: '10.40.1.1' });
    expect(later.statusCode).toBe(201);
    const after = await ctx.testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM email_queue WHERE recipient_email = $1', [email]);
    expect(after.rows[0]!.n).toBe(EMAILS_PER_RECIPIENT_PER_HOUR + 1);
  });
});

describe('headerSafe', () => {
  it('turns every line break and control character into a space and cuts long values', () => {
    expect(headerSafe('a\r\nBcc: x@y.z\u2028b\u0000c\td')).toBe('a Bcc: x@y.z b c d');
    const long = headerSafe('é'.repeat(500));
    expect([...long]).toHaveLength(SUBJECT_MAX_CHARS);
    expect(long.endsWith('…')).toBe(true);
  });

  it('keeps the no-break spaces of French typography', () => {
    expect(headerSafe('Tasty Food\u00a0: nouvelle réponse\u202f!')).toBe('Tasty Food\u00a0: nouvelle réponse\u202f!');
  });
});

describe('the agent_reply e-mail', () => {
  it('sends one mail with the reply, escaped in HTML, and the conversation link', async () => {
    const { ticket } = await createTicketViaApi(ctx.app, { lang: 'nl' });
    const body = 'Uw bestelling <script>alert("x")</script> & <b>komt</b>\nom 19u';
    const worker = newWorker();
    await worker.drain();
    const message = await replyAsAgent(ticket, body);
    await worker.drain();

    const replies = mailsTo(ticket.email).filter((m) => m.subject?.includes('nieuw antwoord'));
    expect(replies).toHaveLength(1);
    const mail = replies[0]!;
    expect(mail.subject).toBe(`Tasty Food: nieuw antwoord op je aanvraag #${ticket.id.slice(0, 8).toUpperCase()}`);
    expect(mail.html).toContain('Uw bestelling &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;komt&lt;/b&gt;<br>\nom 19u');
    expect(mail.html).not.toContain('<script>');
    expect(mail.text).toContain('> Uw bestelling <script>alert("x")</script> & <b>komt</b>\n> om 19u');
    const rows = await queueRows(ticket.id);
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent']);
    const { rows: linked } = await ctx.testDb.db.query('SELECT message_id FROM email_queue WHERE id = $1', [rows[1]!.id]);
    expect(linked[0]).toEqual({ message_id: message.id });
    const res = await ctx.app.inject({ url: `/api/tickets/${ticket.id}`, headers: { authorization: `Bearer ${linkOf(mail).token}` } });
    expect(res.statusCode).toBe(200);
  });

  it('is sent for a reply posted through the agents API, once', async () => {
    const { ticket } = await createTicketViaApi(ctx.app, { lang: 'fr' });
    const worker = newWorker();
    await worker.drain();
    const { cookie } = await createLoggedInAgent(ctx.app);
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/agent/tickets/${ticket.id}/messages`,
      headers: { cookie },
      payload: { body: 'Votre commande arrive <vite> & bien' },
    });
    expect(res.statusCode).toBe(201);
    await worker.drain();
    const replies = mailsTo(ticket.email).filter((m) => m.subject?.includes('nouvelle réponse'));
    expect(replies).toHaveLength(1);
    expect(replies[0]!.html).toContain('Votre commande arrive &lt;vite&gt; &amp; bien');
  });

  it('is given up as failed when the reply it announces is gone', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    const worker = newWorker();
    await worker.drain();
    const message = await replyAsAgent(ticket, 'Voilà');
    await ctx.testDb.db.query('UPDATE email_queue SET message_id = NULL WHERE message_id = $1', [message.id]);
    await worker.drain();
    const rows = await queueRows(ticket.id);
    expect(rows[1]).toMatchObject({ status: 'failed', last_error: expect.stringContaining('no longer exists') });
  });
});

describe('failures', () => {
  it('keeps the e-mail pending while SMTP is down, the API still answering 201, and sends it once SMTP is back', async () => {
    const downSink = await SmtpSink.start();
    const port = downSink.port;
    await downSink.close();
    const worker = newWorker({ transport: new SmtpTransport(`smtp://127.0.0.1:${port}`) });

    const res = await ctx.app.inject({ method: 'POST', url: '/api/tickets', payload: { email: uniqueEmail(), message: 'Allô ?' } });
    expect(res.statusCode).toBe(201);
    const { ticket } = res.json();
    await worker.drain();
    const [failed] = await queueRows(ticket.id);
    expect(failed).toMatchObject({ status: 'pending', retry_count: 1, locked_by: null, last_error: expect.stringMatching(/ECONNECTION|ECONNREFUSED/) });
    // The first retry waits EMAIL_RETRY_BASE_SECONDS (1 s in tests) after the failed attempt.
    expect(failed!.next_retry_at.getTime() - failed!.last_attempt_at!.getTime()).toBe(1000);

    await downSink.listen(port);
    closers.push(() => downSink.close());
    await drainUntil(worker, async () => (await queueRows(ticket.id))[0]!.status === 'sent');
    expect(downSink.mails.filter((m) => m.to.includes(ticket.email))).toHaveLength(1);
    expect((await queueRows(ticket.id))[0]).toMatchObject({ retry_count: 1, last_error: expect.any(String) });
  });

  it('retries a temporary refusal with a doubling delay, then gives up as failed after the last attempt', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    sink.refuseData = () => ({ code: 451, message: 'Try again later' });
    const worker = newWorker({ retryBaseSeconds: 0.05 });
    const delays: number[] = [];
    await drainUntil(worker, async () => {
      const [row] = await queueRows(ticket.id);
      if (row!.status === 'pending' && row!.retry_count > delays.length) {
        delays.push(row!.next_retry_at.getTime() - row!.last_attempt_at!.getTime());
      }
      return row!.status !== 'pending';
    });
    const [row] = await queueRows(ticket.id);
    expect(row).toMatchObject({ status: 'failed', retry_count: EMAIL_MAX_ATTEMPTS, last_error: expect.stringContaining('451') });
    expect(delays).toEqual([50, 100, 200, 400]);
    expect(mailsTo(ticket.email)).toHaveLength(0);
  });

  it('marks a recipient refused with 550 as bounced at once, keeps the error and never retries it', async () => {
    const email = uniqueEmail('nobody');
    sink.refuseRecipient = (address) => (address === email ? { code: 550, message: '5.1.1 No such user here' } : null);
    const { ticket } = await createTicketViaApi(ctx.app, { email });
    const worker = newWorker();
    await worker.drain();
    const [row] = await queueRows(ticket.id);
    expect(row).toMatchObject({ status: 'bounced', retry_count: 1, last_error: expect.stringContaining('No such user here') });
    sink.refuseRecipient = () => null;
    await ctx.testDb.db.query('UPDATE email_queue SET next_retry_at = now() - interval \'1 hour\' WHERE id = $1', [row!.id]);
    await worker.drain();
    expect((await queueRows(ticket.id))[0]!.status).toBe('bounced');
    expect(mailsTo(email)).toHaveLength(0);
  });

  it('marks a message refused with 554 as failed at once, with the error kept', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    sink.refuseData = () => ({ code: 554, message: '5.7.1 Message rejected as spam' });
    await newWorker().drain();
    const [row] = await queueRows(ticket.id);
    expect(row).toMatchObject({ status: 'failed', retry_count: 1, last_error: expect.stringContaining('554') });
    expect(row!.last_error).toContain('rejected as spam');
  });
});

describe('leases', () => {
  it('does not send an e-mail another worker holds, and takes it over once the lease expired', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    const stalled = 'stalled-worker';
    await ctx.testDb.db.query(
      `UPDATE email_queue SET locked_by = $2, locked_until = now() + interval '1 hour' WHERE request_id = $1`,
      [ticket.id, stalled],
    );
    const worker = newWorker();
    await worker.drain();
    expect(mailsTo(ticket.email)).toHaveLength(0);

    await ctx.testDb.db.query(`UPDATE email_queue SET locked_until = now() - interval '1 second' WHERE request_id = $1`, [ticket.id]);
    await worker.drain();
    expect(mailsTo(ticket.email)).toHaveLength(1);
    const [row] = await queueRows(ticket.id);
    expect(row).toMatchObject({ status: 'sent', locked_by: null });
    // The stalled worker's late result no longer counts.
    const late = await ctx.testDb.db.query(`UPDATE email_queue SET status = 'failed' WHERE id = $1 AND locked_by = $2`, [row!.id, stalled]);
    expect(late.rowCount).toBe(0);
  });
});

describe('the dev mailbox', () => {
  it('keeps the rendered mail in dev_mailbox when no SMTP is configured', async () => {
    const { ticket } = await createTicketViaApi(ctx.app, { lang: 'fr', message: 'Bonjour <b>!</b>' });
    await newWorker({ transport: new DevMailboxTransport(ctx.testDb.db) }).drain();
    const [row] = await queueRows(ticket.id);
    expect(row!.status).toBe('sent');
    const { rows } = await ctx.testDb.db.query<{ recipient: string; subject: string; html_body: string; message_id: string; email_id: string }>(
      'SELECT recipient, subject, html_body, message_id, email_id FROM dev_mailbox WHERE recipient = $1',
      [ticket.email],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ email_id: row!.id, message_id: `<${row!.id}@localhost>` });
    expect(rows[0]!.subject).toMatch(/^Tasty Food\u00a0: nous avons bien reçu votre demande/);
    expect(rows[0]!.html_body).toContain('<html lang="fr">');
    expect(rows[0]!.html_body).not.toContain('Bonjour &lt;b&gt;');
  });
});

describe('the debug routes with real sessions', () => {
  it('answer 200 to an admin and 403 to an agent', async () => {
    const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
    const agent = await createLoggedInAgent(ctx.app);
    for (const url of ['/api/debug/emails', '/api/debug/email-queue']) {
      expect((await ctx.app.inject({ url, headers: { cookie: admin.cookie } })).statusCode).toBe(200);
      expect((await ctx.app.inject({ url, headers: { cookie: agent.cookie } })).statusCode).toBe(403);
    }
  });
});

describe('addresses refused at ticket creation', () => {
  it.each([
    ['with CR/LF', `${randomUUID().slice(0, 8)}@example.com\r\nBcc: victim@example.com`],
    ['with LF', `${randomUUID().slice(0, 8)}@example.com\nBcc: victim@example.com`],
    ['over 254 characters', `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`],
  ])('answers 400 to an address %s and stores nothing', async (_label, email) => {
    const count = async () => {
      const { rows } = await ctx.testDb.db.query<{ t: number; e: number }>(
        'SELECT (SELECT count(*)::int FROM support_requests) AS t, (SELECT count(*)::int FROM email_queue) AS e',
      );
      return rows[0];
    };
    const before = await count();
    const res = await ctx.app.inject({ method: 'POST', url: '/api/tickets', payload: { email, message: 'Hello' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_request');
    expect(await count()).toEqual(before);
  });
});
