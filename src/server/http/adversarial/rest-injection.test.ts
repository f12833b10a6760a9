import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLoggedInAgent, type TestAgent } from '../../test/agent-factories.ts';
import { createTicketViaApi, uniqueEmail } from '../../test/factories.ts';
import { useTestApp } from '../../test/test-app.ts';
import { SQL_INJECTIONS, expectError, expectNoWrites, tableCounts } from '../../test/adversarial-fixtures.ts';

// Every value below is bound as a query parameter or checked against a whitelist before any SQL runs:
// each probe is either stored and read back byte for byte (free text) or refused with 400 (structured
// fields), and no table loses or gains a row it should not. pg_sleep is never timed (noisy machines):
// the proof is the literal read-back and the unchanged tables.

const ctx = useTestApp();
const db = () => ctx.testDb.db;
let agent: TestAgent & { cookie: string };

beforeAll(async () => {
  agent = await createLoggedInAgent(ctx.app);
});

const probes = SQL_INJECTIONS.map(([, v]) => v);
const enc = encodeURIComponent;

async function inject(method: string, url: string, options: { payload?: unknown; token?: string; cookie?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  return ctx.app.inject({ method: method as 'GET', url, headers, ...(options.payload !== undefined ? { payload: options.payload as object } : {}) });
}

/** Each probe in a structured field: 400 invalid_request, nothing written. */
async function expectAllRefused(send: (probe: string) => Promise<{ statusCode: number; body: string; json: () => unknown }>) {
  for (const probe of probes) {
    await expectNoWrites(db(), async () => expectError(await send(probe), 400, 'invalid_request'));
  }
}

async function resolvedTicket() {
  const created = await createTicketViaApi(ctx.app);
  await db().query(`UPDATE support_requests SET status = 'resolved' WHERE id = $1`, [created.ticket.id]);
  return created;
}

describe('SQL injection in the customer API: structured fields are refused with 400 and write nothing', () => {
  it.each([
    ['POST /api/tickets email', (p: string) => inject('POST', '/api/tickets', { payload: { email: p, message: 'hi' } })],
    ['POST /api/tickets email (local part)', (p: string) => inject('POST', '/api/tickets', { payload: { email: `${p}@example.com`, message: 'hi' } })],
    ['POST /api/tickets lang', (p: string) => inject('POST', '/api/tickets', { payload: { email: uniqueEmail(), message: 'hi', lang: p } })],
    ['POST /api/tickets orderNumber', (p: string) => inject('POST', '/api/tickets', { payload: { email: uniqueEmail(), message: 'hi', orderNumber: p } })],
    ['POST /api/tickets clientId', (p: string) => inject('POST', '/api/tickets', { payload: { email: uniqueEmail(), message: 'hi', clientId: p } })],
    ['GET /api/faq lang', (p: string) => inject('GET', `/api/faq?lang=${enc(p)}`)],
    ['POST /api/chat/ask lang', (p: string) => inject('POST', '/api/chat/ask', { payload: { text: 'is it halal?', lang: p } })],
    ['GET /api/orders/track number', (p: string) => inject('GET', `/api/orders/track?number=${enc(p)}&email=a%40example.com`)],
    ['GET /api/orders/track email', (p: string) => inject('GET', `/api/orders/track?number=TF-1&email=${enc(p)}`)],
    ['POST /api/metrics name', (p: string) => inject('POST', '/api/metrics', { payload: { name: p, value: 1, timestamp: Date.now() } })],
    ['POST /api/metrics value', (p: string) => inject('POST', '/api/metrics', { payload: { name: 'm', value: p, timestamp: Date.now() } })],
    ['POST /api/client-errors page', (p: string) => inject('POST', '/api/client-errors', { payload: { page: p, message: 'boom', url: 'http://localhost/' } })],
  ])('%s', async (_name, send) => {
    await expectAllRefused(send);
  });

  it('POST /api/tickets/:id/messages clientId', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    await expectAllRefused((p) => inject('POST', `/api/tickets/${ticket.id}/messages`, { token, payload: { body: 'hi', clientId: p } }));
  });

  it('GET /api/tickets/:id/messages cursor', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    await expectAllRefused((p) => inject('GET', `/api/tickets/${ticket.id}/messages?cursor=${enc(p)}`, { token }));
  });

  it('GET /api/tickets/:id/messages cursor of base64url-encoded SQL', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    await expectAllRefused((p) =>
      inject('GET', `/api/tickets/${ticket.id}/messages?cursor=${Buffer.from(JSON.stringify({ s: p })).toString('base64url')}`, { token }),
    );
  });

  it('GET /api/tickets/:id/messages limit', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    await expectAllRefused((p) => inject('GET', `/api/tickets/${ticket.id}/messages?limit=${enc(p)}`, { token }));
  });

  it('POST /api/tickets/:id/rating score', async () => {
    const { ticket, token } = await resolvedTicket();
    await expectAllRefused((p) => inject('POST', `/api/tickets/${ticket.id}/rating`, { token, payload: { score: p } }));
  });

  it('ticket ids in every customer path', async () => {
    const { token } = await createTicketViaApi(ctx.app);
    for (const probe of probes) {
      const id = enc(probe);
      for (const [method, url, payload] of [
        ['GET', `/api/tickets/${id}`, undefined],
        ['GET', `/api/tickets/${id}/messages`, undefined],
        ['POST', `/api/tickets/${id}/messages`, { body: 'hi', clientId: randomUUID() }],
        ['POST', `/api/tickets/${id}/rating`, { score: 5 }],
      ] as const) {
        await expectNoWrites(db(), async () => {
          const res = await inject(method, url, { token, payload });
          // A probe with a '/' changes the route: then it is the unknown route's 404.
          if (res.statusCode === 404) expectError(res, 404, 'not_found');
          else expectError(res, 400, 'invalid_request');
        });
      }
    }
  });
});

describe('SQL injection in the customer API: free text is stored literally and read back byte-exact', () => {
  it('POST /api/tickets message', async () => {
    for (const probe of probes) {
      const res = await inject('POST', '/api/tickets', { payload: { email: uniqueEmail(), message: probe } });
      expect(res.statusCode, res.body).toBe(201);
      const { ticket, token } = res.json() as { ticket: { id: string; message: string }; token: string };
      expect(ticket.message).toBe(probe);
      const page = (await inject('GET', `/api/tickets/${ticket.id}/messages`, { token })).json() as { messages: Array<{ body: string }> };
      expect(page.messages.map((m) => m.body)).toEqual([probe]);
    }
  });

  it('POST /api/tickets/:id/messages body', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    for (const probe of probes) {
      await expectNoWrites(
        db(),
        async () => {
          const res = await inject('POST', `/api/tickets/${ticket.id}/messages`, { token, payload: { body: probe, clientId: randomUUID() } });
          expect(res.statusCode, res.body).toBe(201);
          expect((res.json() as { message: { body: string } }).message.body).toBe(probe);
        },
        { support_messages: 1, support_analytics: 1 },
      );
    }
    const page = (await inject('GET', `/api/tickets/${ticket.id}/messages?limit=100`, { token })).json() as { messages: Array<{ body: string }> };
    expect(page.messages.slice(1).map((m) => m.body)).toEqual(probes);
  });

  it('POST /api/tickets/:id/rating comment', async () => {
    for (const probe of probes) {
      const { ticket, token } = await resolvedTicket();
      const res = await inject('POST', `/api/tickets/${ticket.id}/rating`, { token, payload: { score: 4, comment: probe } });
      expect(res.statusCode, res.body).toBe(201);
      const { rows } = await db().query<{ comment: string }>(
        `SELECT metadata->>'comment' AS comment FROM support_analytics WHERE request_id = $1 AND metric_type = 'user_satisfaction'`,
        [ticket.id],
      );
      expect(rows.map((r) => r.comment)).toEqual([probe.trim()]);
    }
  });

  it('POST /api/chat/ask text', async () => {
    for (const probe of probes) {
      await expectNoWrites(db(), async () => {
        const res = await inject('POST', '/api/chat/ask', { payload: { text: probe } });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toMatchObject({ intent: expect.any(String), answers: expect.any(Array), escalate: expect.any(Boolean) });
      });
    }
  });

  it('POST /api/metrics metadata keys and values', async () => {
    for (const probe of probes) {
      const name = `inj_${randomUUID().slice(0, 8)}`;
      const res = await inject('POST', '/api/metrics', { payload: { name, value: 1, timestamp: Date.now(), metadata: { [probe]: probe } } });
      expect(res.statusCode, res.body).toBe(202);
      const { rows } = await db().query<{ metadata: Record<string, unknown> }>('SELECT metadata FROM client_metrics WHERE name = $1', [name]);
      expect(rows.map((r) => r.metadata)).toEqual([{ [probe]: probe }]);
    }
  });

  it('POST /api/client-errors type, message, stack and url path', async () => {
    for (const probe of probes) {
      const marker = randomUUID();
      await expectNoWrites(
        db(),
        async () => {
          const res = await inject('POST', '/api/client-errors', {
            payload: { page: 'widget', type: probe, message: `${marker} ${probe}`, stack: probe, url: `http://localhost:3000/${enc(probe)}?token=secret` },
          });
          expect(res.statusCode, res.body).toBe(202);
        },
        { error_logs: 1 },
      );
      const { rows } = await db().query<{ error_type: string; message: string; stack: string; context: string }>(
        `SELECT error_type, message, stack, context::text AS context FROM error_logs WHERE message LIKE $1 || '%'`,
        [marker],
      );
      expect(rows).toEqual([{ error_type: probe, message: `${marker} ${probe}`, stack: probe, context: expect.not.stringContaining('secret') }]);
    }
  });
});

describe('SQL injection at login: a plain 401, no session', () => {
  it.each([
    ['POST /api/auth/login email', (p: string) => ({ email: p, password: 'whatever-long' })],
    ['POST /api/auth/login password', (p: string) => ({ email: agent.email, password: p })],
    ['POST /api/auth/login email with the agent address then a comment', (p: string) => ({ email: `${agent.email}${p}`, password: 'x' })],
  ])('%s', async (_name, body) => {
    for (const probe of probes) {
      // Each probe is a fresh attempt, not the sixth failure of the account (that is a 429, tested in auth.test.ts).
      await db().query('DELETE FROM login_attempts');
      const sessions = (await tableCounts(db())).agent_sessions;
      const res = await inject('POST', '/api/auth/login', { payload: body(probe) });
      expectError(res, 401, 'unauthorized');
      expect(res.headers['set-cookie']).toBeUndefined();
      expect((await tableCounts(db())).agent_sessions).toBe(sessions);
    }
  });
});

describe('SQL injection in the agent API', () => {
  it.each(['status', 'priority', 'sort', 'order', 'page', 'limit'])('GET /api/agent/tickets %s is refused with 400', async (field) => {
    await expectAllRefused((p) => inject('GET', `/api/agent/tickets?${field}=${enc(p)}`, { cookie: agent.cookie }));
  });

  it('GET /api/agent/tickets q matches the probe literally, never every ticket', async () => {
    const { ticket: decoy } = await createTicketViaApi(ctx.app, { message: 'a decoy that matches no probe' });
    for (const probe of probes) {
      const { ticket } = await createTicketViaApi(ctx.app, { message: `order lost ${probe}` });
      const res = await inject('GET', `/api/agent/tickets?status=all&limit=100&q=${enc(probe)}`, { cookie: agent.cookie });
      expect(res.statusCode, res.body).toBe(200);
      const ids = (res.json() as { tickets: Array<{ id: string }> }).tickets.map((t) => t.id);
      expect(ids).toContain(ticket.id);
      expect(ids).not.toContain(decoy.id);
      // Every hit holds the probe as plain text (the same search, done here without SQL patterns).
      const { rows } = await db().query<{ id: string; text: string }>(
        `SELECT r.id, r.email || ' ' || r.message || ' ' || coalesce(string_agg(m.body, ' '), '') AS text
           FROM support_requests r LEFT JOIN support_messages m ON m.request_id = r.id
          WHERE r.id = ANY($1::uuid[]) GROUP BY r.id`,
        [ids],
      );
      for (const row of rows) expect(row.text.toLowerCase()).toContain(probe.trim().toLowerCase());
    }
  });

  it('GET /api/agent/analytics from and to are refused with 400', async () => {
    for (const field of ['from', 'to']) {
      await expectAllRefused((p) => inject('GET', `/api/agent/analytics?${field}=${enc(p)}`, { cookie: agent.cookie }));
    }
  });

  it.each(['status', 'priority'])('PATCH /api/agent/tickets/:id %s is refused with 400 and changes nothing', async (field) => {
    const { ticket } = await createTicketViaApi(ctx.app);
    await expectAllRefused((p) => inject('PATCH', `/api/agent/tickets/${ticket.id}`, { cookie: agent.cookie, payload: { [field]: p } }));
    const { rows } = await db().query('SELECT status, priority FROM support_requests WHERE id = $1', [ticket.id]);
    expect(rows).toEqual([{ status: 'open', priority: 'normal' }]);
  });

  it('PATCH /api/agent/tickets/:id agent_note is recorded literally', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    for (const probe of probes) {
      const res = await inject('PATCH', `/api/agent/tickets/${ticket.id}`, { cookie: agent.cookie, payload: { agent_note: probe } });
      expect(res.statusCode, res.body).toBe(200);
    }
    const { rows } = await db().query<{ note: string }>(
      `SELECT details->>'note' AS note FROM agent_actions WHERE ticket_id = $1 ORDER BY created_at, id`,
      [ticket.id],
    );
    expect(rows.map((r) => r.note).sort()).toEqual(probes.map((p) => p.trim()).sort());
  });

  it('POST /api/agent/tickets/:id/messages body is stored literally', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    for (const probe of probes) {
      const res = await inject('POST', `/api/agent/tickets/${ticket.id}/messages`, { cookie: agent.cookie, payload: { body: probe } });
      expect(res.statusCode, res.body).toBe(201);
      expect((res.json() as { message: { body: string } }).message.body).toBe(probe);
    }
    const { rows } = await db().query<{ body: string }>(
      `SELECT body FROM support_messages WHERE request_id = $1 AND author_type = 'agent' ORDER BY seq`,
      [ticket.id],
    );
    expect(rows.map((r) => r.body)).toEqual(probes);
  });

  it('ticket ids in every agent path', async () => {
    for (const probe of probes) {
      const id = enc(probe);
      for (const [method, url, payload] of [
        ['GET', `/api/agent/tickets/${id}`, undefined],
        ['GET', `/api/agent/tickets/${id}/messages`, undefined],
        ['GET', `/api/agent/tickets/${id}/suggestions`, undefined],
        ['PATCH', `/api/agent/tickets/${id}`, { status: 'closed' }],
        ['POST', `/api/agent/tickets/${id}/messages`, { body: 'hi' }],
      ] as const) {
        await expectNoWrites(db(), async () => {
          const res = await inject(method, url, { cookie: agent.cookie, payload });
          if (res.statusCode === 404) expectError(res, 404, 'not_found');
          else expectError(res, 400, 'invalid_request');
        });
      }
    }
  });

  it('after every probe above, the tables are all still there', async () => {
    const counts = await tableCounts(db());
    expect(counts.support_requests).toBeGreaterThan(0);
    const { rows } = await db().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('support_requests', 'support_messages', 'agents', 'orders')`,
    );
    expect(rows[0]!.n).toBe(4);
  });
});
