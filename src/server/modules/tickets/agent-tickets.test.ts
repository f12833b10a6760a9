import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLoggedInAgent, expectBusEvent, type TestAgent } from '../../test/agent-factories.ts';
import { createTicketViaApi, sendMessageViaApi } from '../../test/factories.ts';
import { useTestApp } from '../../test/test-app.ts';
import { listQueue } from './queue.repo.ts';

const ctx = useTestApp({ publicUrl: 'http://localhost:3000' });

let agentPromise: Promise<TestAgent & { cookie: string }> | null = null;
function agent() {
  agentPromise ??= createLoggedInAgent(ctx.app);
  return agentPromise;
}

async function get(url: string, cookie?: string) {
  return ctx.app.inject({ url, headers: cookie ? { cookie } : {} });
}

async function send(method: 'PATCH' | 'POST', url: string, payload: object, headers: Record<string, string> = {}) {
  const { cookie } = await agent();
  return ctx.app.inject({ method, url, payload, headers: { cookie, ...headers } });
}

/** A group of tickets findable by one search word, so a test sees only its own. */
async function ticketGroup(n: number, tag = `grp${randomUUID().slice(0, 8)}`) {
  const tickets = [];
  for (let i = 0; i < n; i++) tickets.push((await createTicketViaApi(ctx.app, { email: `${tag}.${i}@example.com` })).ticket);
  return { tag, tickets };
}

async function queue(query: string) {
  const { cookie } = await agent();
  const res = await get(`/api/agent/tickets?${query}`, cookie);
  expect(res.statusCode).toBe(200);
  return res.json() as { tickets: Array<{ id: string; priority: string; status: string }>; pagination: Record<string, number> };
}

describe('agent API: access', () => {
  it('answers 401 without a session on every /api/agent route', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    for (const res of [
      await get('/api/agent/tickets'),
      await get(`/api/agent/tickets/${ticket.id}`),
      await get(`/api/agent/tickets/${ticket.id}/messages`),
      await ctx.app.inject({ method: 'PATCH', url: `/api/agent/tickets/${ticket.id}`, payload: { status: 'closed' } }),
      await ctx.app.inject({ method: 'POST', url: `/api/agent/tickets/${ticket.id}/messages`, payload: { body: 'hi' } }),
      await get('/api/agent/analytics'),
      await get('/api/agent/no-such-route'),
    ]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
    const { rows } = await ctx.testDb.db.query<{ status: string }>('SELECT status FROM support_requests WHERE id = $1', [ticket.id]);
    expect(rows[0]!.status).toBe('open');
  });

  it('answers 403 to cookie-authenticated changes from another site, and changes nothing', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    const patch = await send('PATCH', `/api/agent/tickets/${ticket.id}`, { status: 'closed' }, { origin: 'https://evil.example' });
    const reply = await send('POST', `/api/agent/tickets/${ticket.id}/messages`, { body: 'hi' }, { origin: 'null' });
    expect(patch.statusCode).toBe(403);
    expect(reply.statusCode).toBe(403);
    expect(patch.json().error.code).toBe('forbidden');
    const { rows } = await ctx.testDb.db.query<{ status: string; last_message_seq: number }>(
      'SELECT status, last_message_seq FROM support_requests WHERE id = $1',
      [ticket.id],
    );
    expect(rows[0]).toEqual({ status: 'open', last_message_seq: 1 });
    const ok = await send('PATCH', `/api/agent/tickets/${ticket.id}`, { priority: 'high' }, { origin: 'http://localhost:3000' });
    expect(ok.statusCode).toBe(200);
  });
});

describe('GET /api/agent/tickets', () => {
  it('lists open tickets by default, newest first, with pagination', async () => {
    const { tag, tickets } = await ticketGroup(5);
    const page1 = await queue(`q=${tag}&limit=2`);
    expect(page1.pagination).toEqual({ page: 1, limit: 2, total: 5, totalPages: 3 });
    expect(page1.tickets.map((t) => t.id)).toEqual([tickets[4]!.id, tickets[3]!.id]);
    const page3 = await queue(`q=${tag}&limit=2&page=3`);
    expect(page3.tickets.map((t) => t.id)).toEqual([tickets[0]!.id]);
    const asc = await queue(`q=${tag}&order=asc&limit=1`);
    expect(asc.tickets[0]!.id).toBe(tickets[0]!.id);
  });

  it('filters by status (all included) and by priority', async () => {
    const { tag, tickets } = await ticketGroup(3);
    await send('PATCH', `/api/agent/tickets/${tickets[0]!.id}`, { status: 'pending', priority: 'urgent' });
    await send('PATCH', `/api/agent/tickets/${tickets[1]!.id}`, { priority: 'urgent' });
    expect((await queue(`q=${tag}`)).pagination.total).toBe(2);
    expect((await queue(`q=${tag}&status=pending`)).tickets.map((t) => t.id)).toEqual([tickets[0]!.id]);
    expect((await queue(`q=${tag}&status=all`)).pagination.total).toBe(3);
    expect((await queue(`q=${tag}&status=all&priority=urgent`)).pagination.total).toBe(2);
    expect((await queue(`q=${tag}&priority=urgent`)).tickets.map((t) => t.id)).toEqual([tickets[1]!.id]);
    expect((await queue(`q=${tag}&priority=`)).pagination.total).toBe(2);
  });

  it('sorts by urgency, not alphabetically, and by last activity', async () => {
    const { tag, tickets } = await ticketGroup(4);
    const priorities = ['low', 'urgent', 'normal', 'high'] as const;
    for (let i = 0; i < 4; i++) await send('PATCH', `/api/agent/tickets/${tickets[i]!.id}`, { priority: priorities[i] });
    expect((await queue(`q=${tag}&sort=priority`)).tickets.map((t) => t.priority)).toEqual(['urgent', 'high', 'normal', 'low']);
    expect((await queue(`q=${tag}&sort=priority&order=asc`)).tickets.map((t) => t.priority)).toEqual(['low', 'normal', 'high', 'urgent']);
    await send('POST', `/api/agent/tickets/${tickets[0]!.id}/messages`, { body: 'latest activity' });
    expect((await queue(`q=${tag}&sort=updated_at`)).tickets[0]!.id).toBe(tickets[0]!.id);
  });

  it('searches e-mails, opening messages and later messages, case-insensitively, with LIKE wildcards taken literally', async () => {
    const word = `zq${randomUUID().slice(0, 6)}`;
    const a = await createTicketViaApi(ctx.app, { message: `My ${word.toUpperCase()} arrived cold` });
    const b = await createTicketViaApi(ctx.app);
    await sendMessageViaApi(ctx.app, b.ticket, b.token, `also about ${word}`);
    const c = await createTicketViaApi(ctx.app, { message: `discount 100%_${word}` });
    const found = await queue(`q=${word}&status=all`);
    expect(found.tickets.map((t) => t.id).sort()).toEqual([a.ticket.id, b.ticket.id, c.ticket.id].sort());
    expect((await queue(`q=${encodeURIComponent(`100%_${word}`)}&status=all`)).tickets.map((t) => t.id)).toEqual([c.ticket.id]);
    expect((await queue(`q=${encodeURIComponent('0%_')}&status=all`)).tickets.map((t) => t.id)).toEqual([c.ticket.id]);
    expect((await queue(`q=${encodeURIComponent(b.ticket.email.toUpperCase())}&status=all`)).tickets.map((t) => t.id)).toEqual([b.ticket.id]);
  });

  it('finds by the middle of an e-mail or a message, accents kept, case folded also on accented letters, within a status', async () => {
    const word = `zq${randomUUID().slice(0, 6)}`;
    const a = await createTicketViaApi(ctx.app, { email: `jean.${word}.dupont@example.com` });
    const b = await createTicketViaApi(ctx.app, { message: `La crème brûlée ${word} était froide` });
    const c = await createTicketViaApi(ctx.app, { message: 'Bonjour' });
    await sendMessageViaApi(ctx.app, c.ticket, c.token, `Ma CRÈME BRÛLÉE ${word} aussi`);
    expect((await queue(`q=${encodeURIComponent(`${word}.dup`)}&status=all`)).tickets.map((t) => t.id)).toEqual([a.ticket.id]);
    const accented = await queue(`q=${encodeURIComponent(`crème brûlée ${word}`)}&status=all`);
    expect(accented.tickets.map((t) => t.id).sort()).toEqual([b.ticket.id, c.ticket.id].sort());
    expect(accented.pagination.total).toBe(2);
    // No accent folding (ILIKE, as before the trigram indexes): "creme" is another word.
    expect((await queue(`q=${encodeURIComponent(`creme brulee ${word}`)}&status=all`)).pagination.total).toBe(0);
    await send('PATCH', `/api/agent/tickets/${c.ticket.id}`, { status: 'pending' });
    expect((await queue(`q=${encodeURIComponent(`brûlée ${word}`)}&status=pending`)).tickets.map((t) => t.id)).toEqual([c.ticket.id]);
    expect((await queue(`q=${encodeURIComponent(`brûlée ${word}`)}`)).tickets.map((t) => t.id)).toEqual([b.ticket.id]);
  });

  it('pages through matches found by different columns in one order, each ticket once', async () => {
    const word = `zq${randomUUID().slice(0, 6)}`;
    const byEmail = await createTicketViaApi(ctx.app, { email: `${word}@example.com`, message: `about ${word}` });
    const byMessage = await createTicketViaApi(ctx.app, { message: `opening ${word}` });
    const byReply = await createTicketViaApi(ctx.app);
    await sendMessageViaApi(ctx.app, byReply.ticket, byReply.token, `later ${word}`);
    const newestFirst = [byReply, byMessage, byEmail].map((t) => t.ticket.id);
    for (const [order, ids] of [['desc', newestFirst], ['asc', [...newestFirst].reverse()]] as const) {
      const pages = [];
      for (let page = 1; page <= 4; page++) pages.push(await queue(`q=${word}&status=all&limit=1&page=${page}&order=${order}`));
      expect(pages.flatMap((p) => p.tickets.map((t) => t.id))).toEqual(ids);
      expect(pages.map((p) => p.pagination.total)).toEqual([3, 3, 3, 3]);
    }
  });

  it('finds by one or two characters, too short for a trigram', async () => {
    const d = await createTicketViaApi(ctx.app, { message: 'Commande ŵŷ perdue' });
    const found = await queue(`q=${encodeURIComponent('ŵŷ')}&status=all&limit=100`);
    expect(found.tickets.map((t) => t.id)).toContain(d.ticket.id);
    expect((await queue(`q=${encodeURIComponent('ŷ')}&status=all&limit=100`)).tickets.map((t) => t.id)).toContain(d.ticket.id);
  });

  it('searches through the trigram indexes of e-mails, opening messages and message bodies, not a table read', async () => {
    // The tables are tiny here: with sequential and plain index scans priced out, only the pg_trgm GIN
    // indexes (migration 0008) can answer ILIKE '%…%'; without them the plan would still show a Seq Scan.
    const plans = await ctx.testDb.db.transaction(async (tx) => {
      await tx.exec('SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; SET LOCAL enable_indexonlyscan = off');
      const text: string[] = [];
      const explaining = {
        async query<T>(sql: string, params: unknown[] = []) {
          const { rows } = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params);
          text.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
          return { rows: [{ n: 0 }] as T[], rowCount: 0 };
        },
        exec: () => Promise.reject(new Error('not used')),
      };
      await listQueue(explaining, { status: 'all', q: 'refund', sort: 'created_at', order: 'desc', page: 1, limit: 20 });
      return text;
    });
    expect(plans).toHaveLength(2);
    for (const plan of plans) {
      expect(plan).not.toMatch(/Seq Scan/);
      for (const index of ['idx_support_requests_email_trgm', 'idx_support_requests_message_trgm', 'idx_support_messages_body_trgm']) {
        expect(plan).toContain(index);
      }
    }
  });

  it('answers 400 for a limit outside 1..100, an unknown sort or status, and an unknown parameter', async () => {
    const { cookie } = await agent();
    for (const q of ['limit=0', 'limit=101', 'sort=email', 'status=deleted', 'page=0', 'priority=extreme', 'foo=1']) {
      expect((await get(`/api/agent/tickets?${q}`, cookie)).statusCode, q).toBe(400);
    }
  });
});

describe('GET /api/agent/tickets/:id', () => {
  it('answers the ticket with agent-only fields and its messages oldest first', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app, { orderNumber: 'TF-2001' });
    await sendMessageViaApi(ctx.app, ticket, token, 'second');
    await send('POST', `/api/agent/tickets/${ticket.id}/messages`, { body: 'third, from an agent' });
    const { cookie, id: agentId } = await agent();
    const res = await get(`/api/agent/tickets/${ticket.id}`, cookie);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.ticket).toMatchObject({ id: ticket.id, order_number: 'TF-2001', resolved_at: null, last_message_seq: 3 });
    expect(body.messages.map((m: { seq: number }) => m.seq)).toEqual([1, 2, 3]);
    expect(body.messages[2]).toMatchObject({ author_type: 'agent', agent_id: agentId });
    expect(body).toMatchObject({ hasMore: false, nextCursor: null });
  });

  it('pages back through older messages with the cursor', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    for (let i = 0; i < 4; i++) await sendMessageViaApi(ctx.app, ticket, token, `m${i}`);
    const { cookie } = await agent();
    const first = (await get(`/api/agent/tickets/${ticket.id}/messages?limit=3`, cookie)).json();
    expect(first.messages.map((m: { seq: number }) => m.seq)).toEqual([3, 4, 5]);
    const older = (await get(`/api/agent/tickets/${ticket.id}/messages?limit=3&cursor=${first.nextCursor}`, cookie)).json();
    expect(older.messages.map((m: { seq: number }) => m.seq)).toEqual([1, 2]);
    expect(older.hasMore).toBe(false);
  });

  it('answers 404 for an unknown ticket and 400 for a malformed id', async () => {
    const { cookie } = await agent();
    expect((await get(`/api/agent/tickets/${randomUUID()}`, cookie)).statusCode).toBe(404);
    expect((await get('/api/agent/tickets/not-a-uuid', cookie)).statusCode).toBe(400);
  });
});

describe('POST /api/agent/tickets/:id/messages with a clientId', () => {
  it('stores a resent reply once, with one e-mail, and answers the resend with the stored reply', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    const clientId = randomUUID();
    const first = await send('POST', `/api/agent/tickets/${ticket.id}/messages`, { body: 'On it!', clientId });
    expect(first.statusCode).toBe(201);
    const again = await send('POST', `/api/agent/tickets/${ticket.id}/messages`, { body: 'On it!', clientId });
    expect(again.statusCode).toBe(200);
    expect(again.json().message).toEqual(first.json().message);
    const { rows } = await ctx.testDb.db.query<{ n: number; mails: number }>(
      `SELECT (SELECT count(*)::int FROM support_messages WHERE request_id = $1 AND author_type = 'agent') AS n,
              (SELECT count(*)::int FROM email_queue WHERE request_id = $1 AND email_type = 'agent_reply') AS mails`,
      [ticket.id],
    );
    expect(rows[0]).toEqual({ n: 1, mails: 1 });
  });

  it("refuses with 409 a clientId that names the customer's own message, and stores nothing", async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    const clientId = randomUUID();
    const customer = await ctx.app.inject({
      method: 'POST',
      url: `/api/tickets/${ticket.id}/messages`,
      headers: { authorization: `Bearer ${token}` },
      payload: { body: 'mine', clientId },
    });
    expect(customer.statusCode).toBe(201);
    const res = await send('POST', `/api/agent/tickets/${ticket.id}/messages`, { body: 'hijack', clientId });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('conflict');
    const { rows } = await ctx.testDb.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM support_messages WHERE request_id = $1 AND author_type = 'agent'`,
      [ticket.id],
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('answers 400 for a clientId that is not a uuid', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    const res = await send('POST', `/api/agent/tickets/${ticket.id}/messages`, { body: 'hi', clientId: "1' OR 1=1--" });
    expect(res.statusCode).toBe(400);
  });
});

describe('PATCH /api/agent/tickets/:id', () => {
  it('changes status and priority and records who did what, before and after, with the note', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    const res = await send('PATCH', `/api/agent/tickets/${ticket.id}`, { status: 'pending', priority: 'high', agent_note: 'Asked for a photo' });
    expect(res.statusCode).toBe(200);
    expect(res.json().ticket).toMatchObject({ id: ticket.id, status: 'pending', priority: 'high' });
    const { rows } = await ctx.testDb.db.query('SELECT agent_id, action, details FROM agent_actions WHERE ticket_id = $1', [ticket.id]);
    expect(rows).toEqual([
      {
        agent_id: (await agent()).id,
        action: 'update',
        details: { before: { status: 'open', priority: 'normal' }, after: { status: 'pending', priority: 'high' }, note: 'Asked for a photo' },
      },
    ]);
  });

  it('records a note alone as a note, and a request changing nothing writes nothing', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    await send('PATCH', `/api/agent/tickets/${ticket.id}`, { agent_note: 'Called the restaurant' });
    await send('PATCH', `/api/agent/tickets/${ticket.id}`, { status: 'open' });
    const { rows } = await ctx.testDb.db.query<{ action: string }>('SELECT action FROM agent_actions WHERE ticket_id = $1', [ticket.id]);
    expect(rows.map((r) => r.action)).toEqual(['note']);
  });

  it('on resolving, records ticket_resolved with the resolution time, sets resolved_at and publishes ticket.updated', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    await ctx.testDb.db.query(`UPDATE support_requests SET created_at = now() - interval '2 hours' WHERE id = $1`, [ticket.id]);
    await expectBusEvent(ctx.testDb.db, { type: 'ticket.updated', ticketId: ticket.id }, async () => {
      const res = await send('PATCH', `/api/agent/tickets/${ticket.id}`, { status: 'resolved' });
      expect(res.statusCode).toBe(200);
      expect(res.json().ticket.resolved_at).not.toBeNull();
    });
    const { rows } = await ctx.testDb.db.query<{ agent_id: string; resolution_time_seconds: number }>(
      `SELECT agent_id, resolution_time_seconds FROM support_analytics WHERE request_id = $1 AND metric_type = 'ticket_resolved'`,
      [ticket.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.agent_id).toBe((await agent()).id);
    expect(rows[0]!.resolution_time_seconds).toBeGreaterThanOrEqual(7200);
    expect(rows[0]!.resolution_time_seconds).toBeLessThan(7200 + 600);
    // resolved -> closed is no second resolution.
    await send('PATCH', `/api/agent/tickets/${ticket.id}`, { status: 'closed' });
    const again = await ctx.testDb.db.query(`SELECT 1 FROM support_analytics WHERE request_id = $1 AND metric_type = 'ticket_resolved'`, [ticket.id]);
    expect(again.rows).toHaveLength(1);
  });

  it('answers 400 for an empty or unknown body and 404 for an unknown ticket', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    expect((await send('PATCH', `/api/agent/tickets/${ticket.id}`, {})).statusCode).toBe(400);
    expect((await send('PATCH', `/api/agent/tickets/${ticket.id}`, { status: 'deleted' })).statusCode).toBe(400);
    expect((await send('PATCH', `/api/agent/tickets/${ticket.id}`, { email: 'x@example.com' })).statusCode).toBe(400);
    expect((await send('PATCH', `/api/agent/tickets/${randomUUID()}`, { status: 'closed' })).statusCode).toBe(404);
  });
});

describe('POST /api/agent/tickets/:id/messages', () => {
  it('adds the reply, sets last_agent_reply_at, queues the agent_reply e-mail and publishes ticket.updated', async () => {
    const { ticket } = await createTicketViaApi(ctx.app, { lang: 'nl' });
    let message: { id: string; author_type: string; seq: number; agent_id: string } | undefined;
    await expectBusEvent(ctx.testDb.db, { type: 'ticket.updated', ticketId: ticket.id }, async () => {
      const res = await send('POST', `/api/agent/tickets/${ticket.id}/messages`, { body: 'We are on it!' });
      expect(res.statusCode).toBe(201);
      message = res.json().message;
    });
    expect(message).toMatchObject({ author_type: 'agent', seq: 2, body: 'We are on it!', agent_id: (await agent()).id });
    const t = await ctx.testDb.db.query<{ last_agent_reply_at: Date | null }>('SELECT last_agent_reply_at FROM support_requests WHERE id = $1', [ticket.id]);
    expect(t.rows[0]!.last_agent_reply_at).not.toBeNull();
    const mail = await ctx.testDb.db.query('SELECT email_type, message_id, recipient_email, lang FROM email_queue WHERE request_id = $1 AND email_type = $2', [
      ticket.id,
      'agent_reply',
    ]);
    expect(mail.rows).toEqual([{ email_type: 'agent_reply', message_id: message!.id, recipient_email: ticket.email, lang: 'nl' }]);
  });

  it('records the first response once, however many replies follow', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    await send('POST', `/api/agent/tickets/${ticket.id}/messages`, { body: 'first' });
    await send('POST', `/api/agent/tickets/${ticket.id}/messages`, { body: 'second' });
    const { rows } = await ctx.testDb.db.query(`SELECT 1 FROM support_analytics WHERE request_id = $1 AND metric_type = 'agent_response'`, [ticket.id]);
    expect(rows).toHaveLength(1);
  });

  it('answers 400 for an empty body and 404 for an unknown ticket, writing nothing', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    expect((await send('POST', `/api/agent/tickets/${ticket.id}/messages`, { body: '   ' })).statusCode).toBe(400);
    expect((await send('POST', `/api/agent/tickets/${ticket.id}/messages`, { body: 'x'.repeat(5001) })).statusCode).toBe(400);
    expect((await send('POST', `/api/agent/tickets/${randomUUID()}/messages`, { body: 'hello' })).statusCode).toBe(404);
    const { rows } = await ctx.testDb.db.query(`SELECT 1 FROM email_queue WHERE request_id = $1 AND email_type = 'agent_reply'`, [ticket.id]);
    expect(rows).toEqual([]);
  });
});
