import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../contracts/tickets.ts';
import { createTicketViaApi, uniqueEmail } from '../../test/factories.ts';
import { useTestApp } from '../../test/test-app.ts';
import { expectError, expectNoWrites, useStaff } from '../../test/adversarial-fixtures.ts';

// Already in bad-input.test.ts (not repeated here): CR/LF in a ticket's e-mail, an e-mail over 254
// characters, and a NUL byte or a lone surrogate in a ticket's opening message and in a message body.

const ctx = useTestApp({ publicUrl: 'http://localhost:3000' });
const db = () => ctx.testDb.db;
const staff = useStaff(ctx);

type Call = { method: 'GET' | 'POST' | 'PATCH'; url: string; payload?: unknown; token?: string; cookie?: string };
async function call(c: Call) {
  const headers: Record<string, string> = {};
  if (c.token) headers.authorization = `Bearer ${c.token}`;
  if (c.cookie) headers.cookie = c.cookie;
  return ctx.app.inject({ method: c.method, url: c.url, headers, ...(c.payload !== undefined ? { payload: c.payload as object } : {}) });
}

async function resolvedTicket() {
  const created = await createTicketViaApi(ctx.app);
  await db().query(`UPDATE support_requests SET status = 'resolved' WHERE id = $1`, [created.ticket.id]);
  return created;
}

async function ticketsOf(email: string) {
  const { rows } = await db().query<{ email: string }>('SELECT email FROM support_requests WHERE lower(email) = lower($1)', [email]);
  return rows.map((r) => r.email);
}

describe('e-mail addresses', () => {
  it.each([
    ['order tracking', () => call({ method: 'GET', url: `/api/orders/track?number=TF-1&email=${encodeURIComponent('a@example.com\r\nBcc: x@example.com')}` })],
    ['an admin inviting an agent', () => call({ method: 'POST', url: '/api/admin/agents', cookie: staff.admin.cookie, payload: { email: 'new@example.com\r\nBcc: x@example.com', name: 'New' } })],
    ['opening a ticket, with a lone LF inside', () => call({ method: 'POST', url: '/api/tickets', payload: { email: 'a@exam\nple.com', message: 'hi' } })],
  ])('refuses CR/LF in an address (header injection) with 400: %s', async (_name, send) => {
    await expectNoWrites(db(), async () => expectError(await send(), 400, 'invalid_request'));
  });

  it.each([
    ['U+2028 line separator', 'a@example.com\u2028Bcc: x@example.com'],
    ['U+0085 next line', 'a\u0085b@example.com'],
    ['a percent-encoded CR/LF', 'a%0d%0aBcc:x@example.com'],
    ['a NUL byte', 'a\u0000@example.com'],
  ])('refuses other line breaks in an address with 400: %s', async (_name, email) => {
    await expectNoWrites(db(), async () => {
      expectError(await call({ method: 'POST', url: '/api/tickets', payload: { email, message: 'hi' } }), 400, 'invalid_request');
    });
  });

  it('trims a trailing CR/LF off an address: neither the ticket nor the e-mail outbox holds a line break', async () => {
    const email = uniqueEmail();
    const res = await call({ method: 'POST', url: '/api/tickets', payload: { email: `${email}\r\n`, message: 'hi' } });
    expect(res.statusCode).toBe(201);
    const { rows } = await db().query<{ email: string; recipient: string }>(
      'SELECT r.email, q.recipient_email AS recipient FROM support_requests r JOIN email_queue q ON q.request_id = r.id WHERE r.id = $1',
      [res.json().ticket.id],
    );
    expect(rows).toEqual([{ email, recipient: email }]);
  });

  it('accepts an address of exactly 254 characters and refuses one of 255', async () => {
    const domain = `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(56)}.com`;
    const at254 = `${'a'.repeat(254 - 1 - domain.length)}@${domain}`;
    const at255 = `a${at254}`;
    expect([at254.length, at255.length]).toEqual([254, 255]);
    expect((await call({ method: 'POST', url: '/api/tickets', payload: { email: at254, message: 'hi' } })).statusCode).toBe(201);
    await expectNoWrites(db(), async () => {
      expectError(await call({ method: 'POST', url: '/api/tickets', payload: { email: at255, message: 'hi' } }), 400, 'invalid_request');
    });
    expect(await ticketsOf(at254)).toEqual([at254]);
  });

  it('counts addresses differing only in case (and surrounding spaces) as one customer for the 5-a-day limit', async () => {
    const base = uniqueEmail('case.limit');
    const [local, domain] = base.split('@') as [string, string];
    const variants = [base, base.toUpperCase(), `${local.toUpperCase()}@${domain}`, `${local}@${domain.toUpperCase()}`, `  ${base}  `];
    // From several client addresses: one address may spend only part of an address's daily quota.
    for (const [i, email] of variants.entries()) {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/tickets', payload: { email, message: 'hi' }, remoteAddress: `10.9.0.${i + 1}` });
      expect(res.statusCode).toBe(201);
    }
    const sixth = await ctx.app.inject({
      method: 'POST',
      url: '/api/tickets',
      payload: { email: `${local[0]!.toUpperCase()}${local.slice(1)}@${domain}`, message: 'hi' },
      remoteAddress: '10.9.0.9',
    });
    expectError(sixth, 429, 'rate_limited');
    expect(await ticketsOf(base)).toEqual(Array(LIMITS.ticketsPerEmailPerDay).fill(base));
  });

  it('lets a customer track an order whatever the case of the address they type', async () => {
    const email = uniqueEmail('track');
    const number = `TF-${randomUUID().slice(0, 6).toUpperCase()}`;
    await db().query(`INSERT INTO orders (number, email, status, source_updated_at, tracking_token) VALUES ($1, $2, 'received', now(), $3)`,
      [number, email, `${randomUUID()}${randomUUID()}`],);
    const res = await call({ method: 'GET', url: `/api/orders/track?number=${number.toLowerCase()}&email=${encodeURIComponent(email.toUpperCase())}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().order.number).toBe(number);
  });
});

/** Every text field that reaches the database, outside those bad-input.test.ts already covers. */
function textFields(): Array<[string, (bad: string) => Promise<Call>]> {
  return [
    ['ticket e-mail', async (bad) => ({ method: 'POST', url: '/api/tickets', payload: { email: `a${bad}b@example.com`, message: 'hi' } })],
    ['ticket orderNumber', async (bad) => ({ method: 'POST', url: '/api/tickets', payload: { email: uniqueEmail(), message: 'hi', orderNumber: `TF${bad}1` } })],
    [
      'rating comment',
      async (bad) => {
        const { ticket, token } = await resolvedTicket();
        return { method: 'POST', url: `/api/tickets/${ticket.id}/rating`, token, payload: { score: 3, comment: `meh ${bad}` } };
      },
    ],
    ['chat question', async (bad) => ({ method: 'POST', url: '/api/chat/ask', payload: { text: `halal ${bad}?` } })],
    ['metric name', async (bad) => ({ method: 'POST', url: '/api/metrics', payload: { name: `lcp${bad}`, value: 1, timestamp: Date.now() } })],
    ['metric metadata value', async (bad) => ({ method: 'POST', url: '/api/metrics', payload: { name: 'lcp', value: 1, timestamp: Date.now(), metadata: { page: `/${bad}` } } })],
    ['metric metadata key', async (bad) => ({ method: 'POST', url: '/api/metrics', payload: { name: 'lcp', value: 1, timestamp: Date.now(), metadata: { [`k${bad}`]: 1 } } })],
    [
      'nested metric metadata',
      async (bad) => ({ method: 'POST', url: '/api/metrics', payload: { metrics: [{ name: 'lcp', value: 1, timestamp: Date.now(), metadata: { a: { b: [`x${bad}`] } } }] } }),
    ],
    ['client error message', async (bad) => ({ method: 'POST', url: '/api/client-errors', payload: { page: 'widget', message: `boom ${bad}`, url: 'http://localhost:3000/' } })],
    ['client error url', async (bad) => ({ method: 'POST', url: '/api/client-errors', payload: { page: 'widget', message: 'boom', url: `http://localhost:3000/${bad}` } })],
    ['login e-mail', async (bad) => ({ method: 'POST', url: '/api/auth/login', payload: { email: `${staff.agent.email}${bad}`, password: staff.agent.password } })],
    [
      'agent note',
      async (bad) => {
        const { ticket } = await createTicketViaApi(ctx.app);
        return { method: 'PATCH', url: `/api/agent/tickets/${ticket.id}`, cookie: staff.agent.cookie, payload: { agent_note: `note ${bad}` } };
      },
    ],
    [
      'agent reply',
      async (bad) => {
        const { ticket } = await createTicketViaApi(ctx.app);
        return { method: 'POST', url: `/api/agent/tickets/${ticket.id}/messages`, cookie: staff.agent.cookie, payload: { body: `reply ${bad}` } };
      },
    ],
    ['admin: new agent name', async (bad) => ({ method: 'POST', url: '/api/admin/agents', cookie: staff.admin.cookie, payload: { email: uniqueEmail(), name: `Sam ${bad}` } })],
    ['admin: new agent e-mail', async (bad) => ({ method: 'POST', url: '/api/admin/agents', cookie: staff.admin.cookie, payload: { email: `sam${bad}@example.com`, name: 'Sam' } })],
  ];
}

describe('NUL bytes (PostgreSQL text refuses them): 400, never 500, nothing stored', () => {
  it.each(textFields())('%s', async (_name, build) => {
    const request = await build('\u0000');
    await expectNoWrites(db(), async () => expectError(await call(request), 400, 'invalid_request'));
  });

  it.each([
    ['order number', '/api/orders/track?number=TF%00&email=a%40example.com'],
    ['order e-mail', '/api/orders/track?number=TF-1&email=a%00%40example.com'],
    ['FAQ language', '/api/faq?lang=fr%00'],
  ])('in a public query string: %s', async (_name, url) => {
    await expectNoWrites(db(), async () => expectError(await call({ method: 'GET', url }), 400, 'invalid_request'));
  });

  it.each([
    ['search', 'q=a%00b'],
    ['status', 'status=open%00'],
  ])('in the agents’ queue query string: %s', async (_name, query) => {
    expectError(await call({ method: 'GET', url: `/api/agent/tickets?${query}`, cookie: staff.agent.cookie }), 400, 'invalid_request');
  });

  it('in a login password: the same 401 as any wrong password, no session', async () => {
    await expectNoWrites(db(), async () => {
      expectError(await call({ method: 'POST', url: '/api/auth/login', payload: { email: staff.agent.email, password: `${staff.agent.password}\u0000` } }), 401, 'unauthorized');
    });
  });
});

describe('lone surrogates (not encodable as UTF-8): 400, never altered, nothing stored', () => {
  it.each(textFields())('%s', async (_name, build) => {
    const request = await build('\uD800');
    await expectNoWrites(db(), async () => expectError(await call(request), 400, 'invalid_request'));
  });

  it('a low surrogate alone, in a message body', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    await expectNoWrites(db(), async () => {
      const res = await call({ method: 'POST', url: `/api/tickets/${ticket.id}/messages`, token, payload: { body: 'x\uDC00y', clientId: randomUUID() } });
      expectError(res, 400, 'invalid_request');
    });
  });

  it('invalid UTF-8 in a query string never reaches the database as a 500', async () => {
    const res = await call({ method: 'GET', url: '/api/agent/tickets?q=%ED%A0%80%FF', cookie: staff.agent.cookie });
    expect(res.statusCode).toBeLessThan(500);
  });
});

// Right-to-left override, emoji ZWJ sequences, combining marks (not normalised), a BOM, zero-width
// characters, and astral code points: legitimate text, stored and returned byte for byte.
const EXACT_TEXT = 'invoice ‮fdp.exe‬ 👩‍👩‍👧‍👦 👨🏽‍🚒 🏳️‍🌈 e\u0301té \uFEFFzero\u200Bwidth \u200D 𝕳𝖆𝖑𝖆𝖑 ﷺ  trailing  ';

async function storedHex(sql: string, params: unknown[]): Promise<string[]> {
  const { rows } = await db().query<{ hex: string }>(sql, params);
  return rows.map((r) => r.hex);
}
const hexOf = (s: string) => Buffer.from(s, 'utf8').toString('hex');

describe('right-to-left overrides and emoji sequences are stored and returned byte-exact', () => {
  it('in a ticket’s opening message and a customer message', async () => {
    const res = await call({ method: 'POST', url: '/api/tickets', payload: { email: uniqueEmail(), message: EXACT_TEXT } });
    expect(res.statusCode).toBe(201);
    const { ticket, token } = res.json() as { ticket: { id: string; message: string }; token: string };
    expect(ticket.message).toBe(EXACT_TEXT);
    const sent = await call({ method: 'POST', url: `/api/tickets/${ticket.id}/messages`, token, payload: { body: EXACT_TEXT, clientId: randomUUID() } });
    expect(sent.json().message.body).toBe(EXACT_TEXT);
    const page = await call({ method: 'GET', url: `/api/tickets/${ticket.id}/messages`, token });
    expect(page.json().messages.map((m: { body: string }) => m.body)).toEqual([EXACT_TEXT, EXACT_TEXT]);
    expect(await storedHex(`SELECT encode(convert_to(body, 'UTF8'), 'hex') AS hex FROM support_messages WHERE request_id = $1`, [ticket.id])).toEqual([
      hexOf(EXACT_TEXT),
      hexOf(EXACT_TEXT),
    ]);
    expect(await storedHex(`SELECT encode(convert_to(message, 'UTF8'), 'hex') AS hex FROM support_requests WHERE id = $1`, [ticket.id])).toEqual([
      hexOf(EXACT_TEXT),
    ]);
  });

  it('in an agent reply, and the agents find the ticket by an emoji sequence', async () => {
    const { ticket } = await createTicketViaApi(ctx.app, { message: `hello 👩‍👩‍👧‍👦 ${randomUUID()}` });
    const res = await call({ method: 'POST', url: `/api/agent/tickets/${ticket.id}/messages`, cookie: staff.agent.cookie, payload: { body: EXACT_TEXT } });
    expect(res.statusCode).toBe(201);
    expect(res.json().message.body).toBe(EXACT_TEXT);
    const detail = await call({ method: 'GET', url: `/api/agent/tickets/${ticket.id}`, cookie: staff.agent.cookie });
    expect(detail.json().messages.at(-1).body).toBe(EXACT_TEXT);
    const found = await call({ method: 'GET', url: `/api/agent/tickets?status=all&q=${encodeURIComponent('👩‍👩‍👧‍👦')}`, cookie: staff.agent.cookie });
    expect(found.json().tickets.map((t: { id: string }) => t.id)).toContain(ticket.id);
  });

  it('in a rating comment and an agent note', async () => {
    const { ticket, token } = await resolvedTicket();
    // Comments and notes are trimmed (a form's stray spaces); everything inside is kept as typed.
    const inner = EXACT_TEXT.trim();
    expect((await call({ method: 'POST', url: `/api/tickets/${ticket.id}/rating`, token, payload: { score: 5, comment: EXACT_TEXT } })).statusCode).toBe(201);
    expect((await call({ method: 'PATCH', url: `/api/agent/tickets/${ticket.id}`, cookie: staff.agent.cookie, payload: { agent_note: EXACT_TEXT } })).statusCode).toBe(200);
    expect(
      await storedHex(
        `SELECT encode(convert_to(metadata->>'comment', 'UTF8'), 'hex') AS hex FROM support_analytics WHERE request_id = $1 AND metric_type = 'user_satisfaction'`,
        [ticket.id],
      ),
    ).toEqual([hexOf(inner)]);
    expect(await storedHex(`SELECT encode(convert_to(details->>'note', 'UTF8'), 'hex') AS hex FROM agent_actions WHERE ticket_id = $1`, [ticket.id])).toEqual([
      hexOf(inner),
    ]);
  });

  it('stores a body of 2,500 astral emoji (5,000 UTF-16 units: the limit) whole, no surrogate pair cut', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    const astral = '😀'.repeat(LIMITS.messageMaxChars / 2);
    const res = await call({ method: 'POST', url: `/api/tickets/${ticket.id}/messages`, token, payload: { body: astral, clientId: randomUUID() } });
    expect(res.statusCode).toBe(201);
    expect(res.json().message.body).toBe(astral);
  });
});
