import { Window } from 'happy-dom';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoggedInAgent } from '../../test/agent-factories.ts';
import { createTicketViaApi } from '../../test/factories.ts';
import { useTestApp } from '../../test/test-app.ts';
import { headerSafe } from './email-templates.ts';
import { SmtpTransport } from './email-transport.ts';
import { EmailWorker } from './email-worker.ts';
import { SmtpSink, type ReceivedMail } from '../../test/smtp-sink.ts';

// Issue 8: what a customer or an agent wrote reaches the customer's mailbox as text. Each payload goes
// through the real path (the tickets API and the agents' reply route, the outbox, the worker, nodemailer,
// a real SMTP server, mailparser), and the HTML part is parsed as a mail client would (happy-dom).

const PAYLOADS: [name: string, payload: string][] = [
  ['a script element', '<script>window.__pwned=1</script>'],
  ['an img with onerror', '<img src=x onerror="window.__pwned=1">'],
  ['an svg with onload and an inner script', '<svg onload="window.__pwned=1"><script>window.__pwned=1</script></svg>'],
  ['a javascript: anchor', '<a href="javascript:window.__pwned=1">click</a>'],
  ['an iframe with srcdoc', `<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>`],
  ['an attribute breakout', `"><script>window.__pwned=1</script><img src=x onerror=window.__pwned=1 x='`],
  ['a template expression', "{{constructor.constructor('window.__pwned=1')()}} ${7*7} <%= 7*7 %>"],
  ['a markdown javascript: link', '[x](javascript:window.__pwned=1)'],
  ['a data:text/html link', '<a href="data:text/html,<script>window.__pwned=1</script>">data</a>'],
  ['a style and a meta refresh', '<style>body{display:none}</style><meta http-equiv="refresh" content="0;url=https://evil.test">'],
  ['a closing blockquote and body', '</blockquote></div></body></html><a href="https://evil.test">phish</a>'],
  ['CR/LF header injection', 'Hi\r\nBcc: attacker@evil.test\r\nSubject: pwned\r\n\r\n<script>x</script>'],
  ['an encoded-word header injection', '=?UTF-8?B?DQpCY2M6IGF0dGFja2VyQGV2aWwudGVzdA==?= =?UTF-8?Q?=0D=0AX-Injected:_yes?='],
  ['a very long unbroken string', 'W'.repeat(3000)],
];

/** Elements the template never uses and a payload would add if the HTML part were not escaped. */
const FOREIGN = 'script, img, svg, iframe, frame, object, embed, form, input, style, link, meta[http-equiv], base, math, template, [onerror], [onload], [srcdoc]';

const ctx = useTestApp();
let sink: SmtpSink;
let transport: SmtpTransport;
let worker: EmailWorker;
let agentCookie: string;

beforeAll(async () => {
  sink = await SmtpSink.start();
  transport = new SmtpTransport(sink.url);
  worker = new EmailWorker({
    db: ctx.testDb.db,
    logger: pino({ level: 'silent' }),
    publicUrl: ctx.app.config.publicUrl,
    from: ctx.app.config.emailFrom,
    retryBaseSeconds: ctx.app.config.emailRetryBaseSeconds,
    leaseSeconds: 30,
    transport,
  });
  agentCookie = (await createLoggedInAgent(ctx.app)).cookie;
});
afterAll(async () => {
  await transport?.close();
  await sink?.close();
});

/** The HTML part as a mail client's DOM. */
function parseHtml(html: string): Document {
  const window = new Window();
  window.document.write(html);
  return window.document as unknown as Document;
}

/** The quoted text as a reader sees it: the template turns each line break into a `<br>`. */
function quotedText(doc: Document): string {
  const quote = doc.querySelector('blockquote');
  if (!quote) throw new Error('no blockquote in the HTML part');
  return [...quote.childNodes].map((n) => (n.nodeName === 'BR' ? '' : n.textContent)).join('');
}

/**
 * The checks every mail passes: nothing foreign in the HTML, the only link is ours, the subject is one
 * line. `quoted` is the text the mail quotes, or null for a mail that must carry none of `payload`.
 */
function expectInertMail(mail: ReceivedMail, payload: string, link: string, quoted: boolean) {
  expect(mail.html).toBeDefined();
  const html = mail.html!;
  expect(html).not.toMatch(/<script|<img|<svg|<iframe|<style|<meta http-equiv/i);
  const doc = parseHtml(html);
  expect([...doc.querySelectorAll(FOREIGN)].map((e) => e.outerHTML.slice(0, 80))).toEqual([]);
  expect([...doc.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual([link]);
  expect([...doc.querySelectorAll('[href], [src], [action]')]).toHaveLength(1);
  if (quoted) {
    expect(quotedText(doc)).toBe(payload.replace(/\r\n|\r|\n/g, '\n'));
    // The text part quotes it literally, line by line.
    expect(mail.text).toContain(payload.split(/\r\n|\r|\n/).map((line) => `> ${line}`).join('\n'));
  } else {
    expect(doc.querySelector('blockquote')).toBeNull();
    expect(mail.text).not.toContain(payload.split(/\r\n|\r|\n/)[0]!);
    expect(mail.subject).not.toContain(headerSafe(payload, 20));
  }

  expect(mail.to).toEqual([mail.to[0]]);
  expect(mail.subject).not.toMatch(/[\r\n]/);
  expect(mail.headerNames.filter((h) => h === 'subject')).toHaveLength(1);
  expect(mail.headerNames).not.toContain('bcc');
  expect(mail.headerNames).not.toContain('x-injected');
}

function conversationLinkIn(mail: ReceivedMail): string {
  const m = /(http:\/\/\S+\/#ticket=[0-9a-f-]{36}&token=[A-Za-z0-9_-]{43})/.exec(mail.text ?? '');
  if (!m) throw new Error(`no conversation link in: ${mail.text}`);
  return m[1]!;
}

describe('customer and agent text in the notification e-mails', () => {
  it.each(PAYLOADS)('%s is left out of the created e-mail and stays text in the agent_reply e-mail', async (_name, payload) => {
    const { ticket } = await createTicketViaApi(ctx.app, { lang: 'en', message: payload });
    const reply = await ctx.app.inject({
      method: 'POST',
      url: `/api/agent/tickets/${ticket.id}/messages`,
      headers: { cookie: agentCookie },
      payload: { body: payload },
    });
    expect(reply.statusCode).toBe(201);
    await worker.drain();

    const mails = sink.mails.filter((m) => m.to.includes(ticket.email));
    expect(mails).toHaveLength(2);
    const created = mails.find((m) => m.subject?.includes('we received your request'))!;
    const answered = mails.find((m) => m.subject?.includes('new reply'))!;
    expect(created).toBeDefined();
    expect(answered).toBeDefined();
    expect(sink.mails.some((m) => m.to.includes('attacker@evil.test'))).toBe(false);

    // Whoever typed the address may not be its owner: the created e-mail carries none of their text.
    expectInertMail(created, payload, conversationLinkIn(created), false);
    expectInertMail(answered, payload, conversationLinkIn(answered), true);
  });
});
