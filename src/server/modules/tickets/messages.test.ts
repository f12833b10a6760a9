import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../contracts/tickets.ts';
import { createTicketViaApi, sendMessageViaApi, uniqueEmail } from '../../test/factories.ts';
import { useTestApp } from '../../test/test-app.ts';
import { appendMessage } from './append-message.ts';
import { sendCustomerMessage } from './send-customer-message.ts';
import type { Db } from '../../db/index.ts';
import { busPublisher } from '../../events/bus.ts';
import { newTicketToken } from './ticket-token.ts';
import { TICKETS_PER_EMAIL_PER_ADDRESS_PER_DAY } from './create-ticket.ts';
import { onPostgres } from '../../test/test-db.ts';

const ctx = useTestApp();

function auth(token: string) {
  return { authorization: `Bearer ${token}` };
}

async function messageCount(ticketId: string) {
  const { rows } = await ctx.testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM support_messages WHERE request_id = $1', [ticketId]);
  return rows[0]!.n;
}

/** Adds `n` customer messages that all share one created_at, straight in SQL. */
async function insertMessagesWithOneTimestamp(ticketId: string, n: number) {
  await ctx.testDb.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ last: number }>('SELECT last_message_seq AS last FROM support_requests WHERE id = $1 FOR UPDATE', [ticketId]);
    const start = rows[0]!.last;
    await tx.query(
      `INSERT INTO support_messages (request_id, author_type, body, seq, created_at)
       SELECT $1, 'user', 'message ' || g, $2 + g, timestamptz '2026-01-01 12:00:00+00'
         FROM generate_series(1, $3::int) g`,
      [ticketId, start, n],
    );
    await tx.query('UPDATE support_requests SET last_message_seq = $2 WHERE id = $1', [ticketId, start + n]);
  });
}

describe('POST /api/tickets/:id/messages', () => {
  it('stores a customer message and answers 201 with it', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    const clientId = randomUUID();
    const res = await sendMessageViaApi(ctx.app, ticket, token, 'Merci !', clientId);
    expect(res.statusCode).toBe(201);
    expect(res.json().message).toMatchObject({ request_id: ticket.id, author_type: 'user', body: 'Merci !', client_id: clientId, seq: 2 });
    expect(await messageCount(ticket.id)).toBe(2);
  });

  it('answers the same clientId again with 200 and the same message, storing nothing new', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    const clientId = randomUUID();
    const first = await sendMessageViaApi(ctx.app, ticket, token, 'Once', clientId);
    const again = await sendMessageViaApi(ctx.app, ticket, token, 'Once', clientId);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await messageCount(ticket.id)).toBe(2);
  });

  it('records message_sent in support_analytics for each message, the opening one included', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    await sendMessageViaApi(ctx.app, ticket, token);
    const { rows } = await ctx.testDb.db.query<{ author: string }>(
      "SELECT metadata->>'author_type' AS author FROM support_analytics WHERE request_id = $1 AND metric_type = 'message_sent'",
      [ticket.id],
    );
    expect(rows).toEqual([{ author: 'user' }, { author: 'user' }]);
  });

  it('counts an agent reply as the first response once, and sets last_agent_reply_at', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    for (const body of ['first reply', 'second reply']) {
      await ctx.testDb.db.transaction((tx) => appendMessage(tx, { ticketId: ticket.id, authorType: 'agent', body }));
    }
    const { rows } = await ctx.testDb.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM support_analytics WHERE request_id = $1 AND metric_type = 'agent_response'",
      [ticket.id],
    );
    expect(rows[0]!.n).toBe(1);
    const read = await ctx.app.inject({ url: `/api/tickets/${ticket.id}`, headers: auth(token) });
    expect(read.json().ticket.last_agent_reply_at).not.toBeNull();
  });

  it('answers 401 without a token and 404 with another ticket’s token, storing nothing', async () => {
    const a = await createTicketViaApi(ctx.app);
    const b = await createTicketViaApi(ctx.app);
    const none = await ctx.app.inject({ method: 'POST', url: `/api/tickets/${a.ticket.id}/messages`, payload: { body: 'x', clientId: randomUUID() } });
    const foreign = await sendMessageViaApi(ctx.app, a.ticket, b.token);
    expect(none.statusCode).toBe(401);
    expect(foreign.statusCode).toBe(404);
    expect(await messageCount(a.ticket.id)).toBe(1);
  });

  it('checks the token before answering a known clientId: another ticket’s token gets 404, not the stored message', async () => {
    const a = await createTicketViaApi(ctx.app);
    const b = await createTicketViaApi(ctx.app);
    const clientId = randomUUID();
    expect((await sendMessageViaApi(ctx.app, a.ticket, a.token, 'Mine', clientId)).statusCode).toBe(201);
    const retry = await sendMessageViaApi(ctx.app, a.ticket, b.token, 'Mine', clientId);
    expect(retry.statusCode).toBe(404);
    expect(retry.body).not.toContain('Mine');
  });

  it('hands a pending or resolved ticket back to the agents when the customer writes', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    await ctx.testDb.db.query("UPDATE support_requests SET status = 'resolved', resolved_at = now() WHERE id = $1", [ticket.id]);
    await sendMessageViaApi(ctx.app, ticket, token, 'Finally not solved');
    const res = await ctx.app.inject({ url: `/api/tickets/${ticket.id}`, headers: auth(token) });
    expect(res.json().ticket.status).toBe('open');
  });

  it('refuses a message on a closed ticket with 409', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app, { lang: 'en' });
    await ctx.testDb.db.query("UPDATE support_requests SET status = 'closed' WHERE id = $1", [ticket.id]);
    const res = await sendMessageViaApi(ctx.app, ticket, token);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('closed');
    expect(await messageCount(ticket.id)).toBe(1);
  });

  it('refuses the 101st customer message of the hour with 429 in the ticket’s language', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app, { lang: 'nl' });
    // the opening message is the first of the hour
    for (let i = 1; i < LIMITS.messagesPerTicketPerHour; i++) {
      const res = await sendMessageViaApi(ctx.app, ticket, token, `m${i}`);
      expect(res.statusCode).toBe(201);
    }
    const over = await sendMessageViaApi(ctx.app, ticket, token, 'one too many');
    expect(over.statusCode).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(over.json().error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('te veel berichten') });
    expect(await messageCount(ticket.id)).toBe(LIMITS.messagesPerTicketPerHour);
  });

  it('does not count the agents’ messages against the customer’s hourly limit', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    await ctx.testDb.db.query(
      `INSERT INTO support_messages (request_id, author_type, body, seq)
       SELECT $1, 'agent', 'reply ' || g, 1 + g FROM generate_series(1, 150) g`,
      [ticket.id],
    );
    await ctx.testDb.db.query('UPDATE support_requests SET last_message_seq = 151 WHERE id = $1', [ticket.id]);
    expect((await sendMessageViaApi(ctx.app, ticket, token)).statusCode).toBe(201);
  });

  it('accepts the live link token of an e-mail, and not an expired one', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    const link = newTicketToken();
    const expired = newTicketToken();
    await ctx.testDb.db.query(
      `INSERT INTO ticket_access_tokens (ticket_id, token_hash, purpose, expires_at)
       VALUES ($1, $2, 'email_link', now() + interval '1 day'), ($1, $3, 'email_link', now() - interval '1 second')`,
      [ticket.id, link.hash, expired.hash],
    );
    expect((await sendMessageViaApi(ctx.app, ticket, link.token)).statusCode).toBe(201);
    expect((await sendMessageViaApi(ctx.app, ticket, expired.token)).statusCode).toBe(404);
    expect(await messageCount(ticket.id)).toBe(2);
  });

  it('sends a message in ONE statement, outside any transaction, then publishes message.created', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    const statements: string[] = [];
    let transactions = 0;
    const db = ctx.testDb.db;
    const counting: Db = Object.create(db, {
      query: { value: (sql: string, params?: unknown[]) => (statements.push(sql), db.query(sql, params)) },
      exec: { value: (sql: string) => (statements.push(sql), db.exec(sql)) },
      transaction: { value: (fn: Parameters<Db['transaction']>[0]) => (transactions++, db.transaction(fn)) },
    });
    const clientId = randomUUID();
    const sent = await sendCustomerMessage({ db: counting, ticketId: ticket.id, token, body: 'One trip', clientId });
    await busPublisher(counting).flush();
    expect(sent).toMatchObject({ created: true, message: { body: 'One trip', client_id: clientId, seq: 2 } });
    expect(transactions).toBe(0);
    const sends = statements.filter((sql) => !sql.includes('pg_notify'));
    expect(sends).toHaveLength(1);
    expect(sends[0]).toContain('tf_send_customer_message');
    // The bus event, after the send and outside it.
    expect(statements).toHaveLength(2);

    statements.length = 0;
    const again = await sendCustomerMessage({ db: counting, ticketId: ticket.id, token, body: 'One trip', clientId });
    await busPublisher(counting).flush();
    expect(again).toEqual({ created: false, message: sent.message });
    expect(statements).toHaveLength(1);
  });
});

describe('GET /api/tickets/:id/messages', () => {
  it('returns the newest page first, oldest-first inside, with an opaque cursor to the older page', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app, { message: 'm0' });
    for (let i = 1; i <= 4; i++) await sendMessageViaApi(ctx.app, ticket, token, `m${i}`);
    const first = await ctx.app.inject({ url: `/api/tickets/${ticket.id}/messages?limit=2`, headers: auth(token) });
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.messages.map((m: { body: string }) => m.body)).toEqual(['m3', 'm4']);
    expect(page1.hasMore).toBe(true);
    const second = await ctx.app.inject({ url: `/api/tickets/${ticket.id}/messages?limit=2&cursor=${page1.nextCursor}`, headers: auth(token) });
    expect(second.json().messages.map((m: { body: string }) => m.body)).toEqual(['m1', 'm2']);
    const third = await ctx.app.inject({ url: `/api/tickets/${ticket.id}/messages?limit=2&cursor=${second.json().nextCursor}`, headers: auth(token) });
    expect(third.json()).toMatchObject({ hasMore: false, nextCursor: null });
    expect(third.json().messages.map((m: { body: string }) => m.body)).toEqual(['m0']);
  });

  it('neither skips nor repeats a message across 1,000 messages sharing one created_at', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    await insertMessagesWithOneTimestamp(ticket.id, 1000);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/tickets/${ticket.id}/messages?limit=37${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await ctx.app.inject({ url, headers: auth(token) })).json();
      seen.unshift(...page.messages.map((m: { seq: number }) => m.seq));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    expect(seen).toHaveLength(1001);
    expect(new Set(seen).size).toBe(1001);
    expect(seen).toEqual(Array.from({ length: 1001 }, (_, i) => i + 1));
  });

  it('uses 20 messages as the default page size', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    await insertMessagesWithOneTimestamp(ticket.id, 30);
    const res = await ctx.app.inject({ url: `/api/tickets/${ticket.id}/messages`, headers: auth(token) });
    expect(res.json().messages).toHaveLength(20);
  });

  it('answers 401 without a token and 404 with another ticket’s token', async () => {
    const a = await createTicketViaApi(ctx.app);
    const b = await createTicketViaApi(ctx.app);
    expect((await ctx.app.inject({ url: `/api/tickets/${a.ticket.id}/messages` })).statusCode).toBe(401);
    expect((await ctx.app.inject({ url: `/api/tickets/${a.ticket.id}/messages`, headers: auth(b.token) })).statusCode).toBe(404);
  });
});

describe.skipIf(!onPostgres)('concurrency on the PostgreSQL server', () => {
  it('stores a message once when ten retries with one clientId arrive together', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    const clientId = randomUUID();
    const results = await Promise.all(Array.from({ length: 10 }, () => sendMessageViaApi(ctx.app, ticket, token, 'retry', clientId)));
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(9);
    expect(new Set(results.map((r) => r.json().message.id)).size).toBe(1);
    expect(await messageCount(ticket.id)).toBe(2);
  });

  it('accepts exactly 5 of 10 parallel ticket creations for one e-mail address from five client addresses', async () => {
    const email = uniqueEmail();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        ctx.app.inject({
          method: 'POST',
          url: '/api/tickets',
          payload: { email: i % 2 ? email : email.toUpperCase(), message: `parallel ${i}` },
          remoteAddress: `10.8.0.${(i % 5) + 1}`,
        }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(5);
    expect(results.filter((r) => r.statusCode === 429)).toHaveLength(5);
    const { rows } = await ctx.testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM support_requests WHERE email = $1', [email]);
    expect(rows[0]!.n).toBe(5);
  });

  it('accepts exactly 3 of 10 parallel ticket creations for one e-mail address from one client address', async () => {
    const email = uniqueEmail();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => ctx.app.inject({ method: 'POST', url: '/api/tickets', payload: { email, message: `parallel ${i}` } })),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(TICKETS_PER_EMAIL_PER_ADDRESS_PER_DAY);
    expect(results.filter((r) => r.statusCode === 429)).toHaveLength(10 - TICKETS_PER_EMAIL_PER_ADDRESS_PER_DAY);
    const { rows } = await ctx.testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM support_requests WHERE email = $1', [email]);
    expect(rows[0]!.n).toBe(TICKETS_PER_EMAIL_PER_ADDRESS_PER_DAY);
  });

  it('never lets parallel sends overshoot the hourly message limit', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    for (let i = 1; i < LIMITS.messagesPerTicketPerHour - 5; i++) await sendMessageViaApi(ctx.app, ticket, token, `m${i}`);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => sendMessageViaApi(ctx.app, ticket, token, `p${i}`)));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(5);
    expect(results.filter((r) => r.statusCode === 429)).toHaveLength(7);
    expect(await messageCount(ticket.id)).toBe(LIMITS.messagesPerTicketPerHour);
  });

  it('gives parallel messages of one ticket distinct, gapless sequence numbers', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    await Promise.all(Array.from({ length: 20 }, (_, i) => sendMessageViaApi(ctx.app, ticket, token, `c${i}`)));
    const { rows } = await ctx.testDb.db.query<{ seq: number }>('SELECT seq FROM support_messages WHERE request_id = $1 ORDER BY seq', [ticket.id]);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
  });
});
