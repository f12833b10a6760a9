import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAME, ticketChannel, type ServerFrame } from '../../../contracts/realtime.ts';
import { createLoggedInAgent, type TestAgent } from '../../test/agent-factories.ts';
import { createTicketViaApi, sendMessageViaApi, uniqueEmail } from '../../test/factories.ts';
import { multipartBody } from '../../test/multipart.ts';
import { TestSocket, realtimeUrl } from '../../test/test-socket.ts';
import { useTestApp } from '../../test/test-app.ts';

// Issue 16: the customer panel (GET /api/agent/tickets/:id/customer) and merging two tickets of one
// customer (POST /api/agent/tickets/:id/merge). Runs on PGlite, and on a PostgreSQL server when
// TEST_DATABASE_URL is set.
const ORIGIN = 'http://localhost:3000';
const ctx = useTestApp({ publicUrl: ORIGIN });
type LoggedIn = TestAgent & { cookie: string };
let alice: LoggedIn;
const sockets: TestSocket[] = [];
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

beforeAll(async () => {
  alice = await createLoggedInAgent(ctx.app, { name: 'Alice' });
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => {
  for (const s of sockets) s.ws.terminate();
});

function call(agent: LoggedIn | null, method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method, url, payload, headers: { ...(agent ? { cookie: agent.cookie } : {}), ...headers } });
}
const merge = (keptId: string, mergedId: unknown, headers?: Record<string, string>, agent: LoggedIn | null = alice) =>
  call(agent, 'POST', `/api/agent/tickets/${keptId}/merge`, { ticket_id: mergedId }, headers);
const customerGet = (url: string, token: string) => ctx.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

async function agentMessages(ticketId: string) {
  const res = await call(alice, 'GET', `/api/agent/tickets/${ticketId}/messages?limit=100`);
  expect(res.statusCode).toBe(200);
  return res.json().messages as Array<{ id: string; body: string; seq: number; author_type: string; created_at: string }>;
}
async function reply(ticketId: string, body: string) {
  const res = await call(alice, 'POST', `/api/agent/tickets/${ticketId}/messages`, { body });
  expect(res.statusCode).toBe(201);
}
async function say(ticket: { id: string }, token: string, body: string) {
  const res = await sendMessageViaApi(ctx.app, ticket, token, body);
  expect(res.statusCode).toBe(201);
  return res.json().message as { id: string; seq: number };
}
/** Two tickets of one customer, their messages written alternately (A1, B1, A2, B2 …). */
async function twoTicketsOfOneCustomer() {
  const email = uniqueEmail('merge');
  const a = await createTicketViaApi(ctx.app, { email, message: 'A0 première demande' });
  const b = await createTicketViaApi(ctx.app, { email, message: 'B0 seconde demande' });
  await say(a.ticket, a.token, 'A1');
  await say(b.ticket, b.token, 'B1');
  await reply(a.ticket.id, 'A2 réponse');
  await say(b.ticket, b.token, 'B2');
  await say(a.ticket, a.token, 'A3');
  return { email, a, b };
}

describe('GET /api/agent/tickets/:id/customer', () => {
  it("lists the customer's other tickets (same e-mail, newest first, with status) and their orders only", async () => {
    const email = uniqueEmail('panel');
    const first = await createTicketViaApi(ctx.app, { email });
    const second = await createTicketViaApi(ctx.app, { email });
    const current = await createTicketViaApi(ctx.app, { email });
    await createTicketViaApi(ctx.app);
    expect((await call(alice, 'POST', `/api/agent/tickets/${first.ticket.id}/messages`, { body: 'ok' })).statusCode).toBe(201);
    await ctx.app.inject({
      method: 'PATCH',
      url: `/api/agent/tickets/${first.ticket.id}`,
      payload: { status: 'resolved' },
      headers: { cookie: alice.cookie },
    });
    const number = `TF-P${randomUUID().slice(0, 6).toUpperCase()}`;
    await ctx.testDb.db.query(
      `INSERT INTO orders (number, email, status, items, source_updated_at, tracking_token)
       VALUES ($1, $2, 'preparing', '[{"name":"Burger","qty":2,"price":8.5}]', now(), $3), ($4, 'someone.else@example.com', 'received', '[]', now(), $3)`,
      [number, email, 'x'.repeat(40), `${number}X`],
    );

    const res = await call(alice, 'GET', `/api/agent/tickets/${current.ticket.id}/customer`);
    expect(res.statusCode).toBe(200);
    const panel = res.json();
    expect(panel.email).toBe(email);
    expect(panel.tickets.map((t: { id: string; status: string }) => [t.id, t.status])).toEqual([
      [second.ticket.id, 'open'],
      [first.ticket.id, 'resolved'],
    ]);
    expect(panel.orders).toEqual([
      expect.objectContaining({ number, status: 'preparing', items: [{ name: 'Burger', qty: 2, price: 8.5 }] }),
    ]);
  });

  it('answers 401 without a session and 404 for an unknown ticket, in the contract shape', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    expect((await call(null, 'GET', `/api/agent/tickets/${ticket.id}/customer`)).statusCode).toBe(401);
    const missing = await call(alice, 'GET', `/api/agent/tickets/${randomUUID()}/customer`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    expect((await call(alice, 'GET', `/api/agent/tickets/not-a-uuid/customer`)).statusCode).toBe(400);
  });
});

describe('POST /api/agent/tickets/:id/merge', () => {
  it('interleaves both conversations by time in the kept ticket, renumbered 1..n, and closes the other with a link', async () => {
    const { a, b } = await twoTicketsOfOneCustomer();
    const before = [...(await agentMessages(a.ticket.id)), ...(await agentMessages(b.ticket.id))];
    const res = await merge(a.ticket.id, b.ticket.id);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.ticket).toMatchObject({ id: a.ticket.id, merged_into: null, last_message_seq: before.length });
    expect(body.merged).toMatchObject({ id: b.ticket.id, status: 'closed', merged_into: a.ticket.id });

    const after = await agentMessages(a.ticket.id);
    expect(after.map((m) => m.body)).toEqual(['A0 première demande', 'B0 seconde demande', 'A1', 'B1', 'A2 réponse', 'B2', 'A3']);
    expect(after.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(after.map((m) => m.id))).toEqual(new Set(before.map((m) => m.id)));
    expect(await agentMessages(b.ticket.id)).toEqual([]);

    // The next message continues the renumbered sequence, without gap.
    expect((await say(a.ticket, a.token, 'A4')).seq).toBe(8);

    for (const id of [a.ticket.id, b.ticket.id]) {
      const detail = (await call(alice, 'GET', `/api/agent/tickets/${id}`)).json();
      expect(detail.timeline).toContainEqual(
        expect.objectContaining({ type: 'merge', from: b.ticket.id, into: a.ticket.id, agent: { id: alice.id, name: 'Alice' } }),
      );
    }
    const queue = (await call(alice, 'GET', `/api/agent/tickets?status=closed&q=${encodeURIComponent('B0 seconde')}`)).json();
    expect(queue.tickets.find((t: { id: string }) => t.id === b.ticket.id)).toMatchObject({ merged_into: a.ticket.id });
  });

  it("lets both customers' tokens reach the merged conversation; the merged ticket tells where it went", async () => {
    const { a, b } = await twoTicketsOfOneCustomer();
    expect((await merge(a.ticket.id, b.ticket.id)).statusCode).toBe(200);

    const viaB = await customerGet(`/api/tickets/${a.ticket.id}/messages?limit=100`, b.token);
    expect(viaB.statusCode).toBe(200);
    expect(viaB.json().messages.map((m: { body: string }) => m.body)).toContain('B2');
    const oldTicket = await customerGet(`/api/tickets/${b.ticket.id}`, b.token);
    expect(oldTicket.json().ticket).toMatchObject({ id: b.ticket.id, status: 'closed', merged_into: a.ticket.id });
    expect((await customerGet(`/api/tickets/${a.ticket.id}`, a.token)).json().ticket).not.toHaveProperty('merged_into');

    // The merged ticket's customer writes into the kept conversation with their own token.
    const sent = await say(a.ticket, b.token, 'written with the token of B');
    expect(sent.seq).toBe(8);
    // A closed merged ticket takes no message; the kept ticket's token does not open the merged one.
    expect((await sendMessageViaApi(ctx.app, b.ticket, b.token, 'late')).statusCode).toBe(409);
    expect((await customerGet(`/api/tickets/${b.ticket.id}`, a.token)).statusCode).toBe(404);
    // A stranger's token opens neither.
    const stranger = await createTicketViaApi(ctx.app);
    expect((await customerGet(`/api/tickets/${a.ticket.id}`, stranger.token)).statusCode).toBe(404);
  });

  it("moves the merged ticket's attachments: the kept ticket's customer reads them", async () => {
    const email = uniqueEmail('files');
    const a = await createTicketViaApi(ctx.app, { email });
    const b = await createTicketViaApi(ctx.app, { email });
    const form = multipartBody([{ name: 'file', filename: 'ticket.pdf', contentType: 'application/pdf', bytes: PDF }]);
    const up = await ctx.app.inject({
      method: 'POST',
      url: `/api/tickets/${b.ticket.id}/attachments`,
      payload: form.payload,
      headers: { ...form.headers, authorization: `Bearer ${b.token}` },
    });
    expect(up.statusCode, up.body).toBe(201);
    const attachmentId = up.json().attachment.id as string;
    const sent = await ctx.app.inject({
      method: 'POST',
      url: `/api/tickets/${b.ticket.id}/messages`,
      headers: { authorization: `Bearer ${b.token}` },
      payload: { body: 'the receipt', clientId: randomUUID(), attachmentIds: [attachmentId] },
    });
    expect(sent.statusCode).toBe(201);
    expect((await customerGet(`/api/attachments/${attachmentId}`, a.token)).statusCode).toBe(404);

    expect((await merge(a.ticket.id, b.ticket.id)).statusCode).toBe(200);
    const served = await customerGet(`/api/attachments/${attachmentId}`, a.token);
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.equals(PDF)).toBe(true);
    expect((await customerGet(`/api/attachments/${attachmentId}`, b.token)).statusCode).toBe(200);
    const page = (await customerGet(`/api/tickets/${a.ticket.id}/messages`, a.token)).json();
    const carrying = page.messages.find((m: { body: string }) => m.body === 'the receipt');
    expect(carrying.attachments).toEqual([expect.objectContaining({ id: attachmentId, name: 'ticket.pdf' })]);
  });

  it('refuses another customer, the same ticket and an already merged ticket with 409, writing nothing', async () => {
    const { a, b } = await twoTicketsOfOneCustomer();
    const other = await createTicketViaApi(ctx.app);
    const otherCustomer = await merge(a.ticket.id, other.ticket.id);
    expect(otherCustomer.statusCode).toBe(409);
    expect(otherCustomer.json()).toEqual({ error: { code: 'conflict', message: expect.stringContaining('e-mail') } });
    const self = await merge(a.ticket.id, a.ticket.id);
    expect(self.statusCode).toBe(409);
    expect(self.json().error.code).toBe('conflict');
    expect((await agentMessages(a.ticket.id)).map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect((await agentMessages(other.ticket.id)).length).toBe(1);

    expect((await merge(a.ticket.id, b.ticket.id)).statusCode).toBe(200);
    const third = await createTicketViaApi(ctx.app, { email: a.ticket.email });
    for (const [kept, merged] of [
      [a.ticket.id, b.ticket.id],
      [b.ticket.id, a.ticket.id],
      [b.ticket.id, third.ticket.id],
      [third.ticket.id, b.ticket.id],
    ] as const) {
      const res = await merge(kept, merged);
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('conflict');
    }
    // The kept ticket may absorb another one later; the first merged ticket then follows too.
    expect((await merge(third.ticket.id, a.ticket.id)).statusCode).toBe(200);
    expect((await customerGet(`/api/tickets/${third.ticket.id}`, b.token)).statusCode).toBe(200);
    expect((await customerGet(`/api/tickets/${b.ticket.id}`, b.token)).json().ticket.merged_into).toBe(third.ticket.id);
    expect((await agentMessages(third.ticket.id)).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('answers 401 without a session, 403 from another site, 404 for an unknown ticket on either side, 400 for a bad body', async () => {
    const { a, b } = await twoTicketsOfOneCustomer();
    expect((await merge(a.ticket.id, b.ticket.id, {}, null)).statusCode).toBe(401);
    const foreign = await merge(a.ticket.id, b.ticket.id, { origin: 'https://evil.example' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('forbidden');
    expect((await merge(randomUUID(), b.ticket.id)).statusCode).toBe(404);
    const missing = await merge(a.ticket.id, randomUUID());
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    expect((await merge(a.ticket.id, 'nope')).statusCode).toBe(400);
    expect((await call(alice, 'POST', `/api/agent/tickets/${a.ticket.id}/merge`, { ticket_id: b.ticket.id, keep: 'b' })).statusCode).toBe(400);
    expect((await agentMessages(b.ticket.id)).length).toBe(3);
  });

  it('two agents merging the same pair at once, each way round: one merge happens, the other is refused', async () => {
    const { a, b } = await twoTicketsOfOneCustomer();
    const results = await Promise.all([merge(a.ticket.id, b.ticket.id), merge(b.ticket.id, a.ticket.id)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.statusCode === 200)!.json();
    const messages = await agentMessages(winner.ticket.id);
    expect(messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await agentMessages(winner.merged.id)).toEqual([]);
  });

  it("a customer's send racing the merge is kept once, in the sequence, or refused: never lost in between", async () => {
    const { a, b } = await twoTicketsOfOneCustomer();
    const [sent, merged] = await Promise.all([sendMessageViaApi(ctx.app, b.ticket, b.token, 'racing'), merge(a.ticket.id, b.ticket.id)]);
    expect(merged.statusCode).toBe(200);
    const messages = await agentMessages(a.ticket.id);
    expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
    if (sent.statusCode === 201) expect(messages.map((m) => m.body)).toContain('racing');
    else expect(sent.statusCode).toBe(409);
  });
});

describe('a merged ticket', () => {
  const ref = (id: string) => `#${id.slice(0, 8).toUpperCase()}`;
  const patch = (id: string, payload: object, headers: Record<string, string> = {}) =>
    ctx.app.inject({ method: 'PATCH', url: `/api/agent/tickets/${id}`, payload, headers: { cookie: alice.cookie, ...headers } });
  async function merged() {
    const { a, b } = await twoTicketsOfOneCustomer();
    expect((await merge(a.ticket.id, b.ticket.id)).statusCode).toBe(200);
    return { kept: a, gone: b };
  }
  async function state(id: string) {
    const { rows } = await ctx.testDb.db.query<{ status: string; priority: string; assignee_id: string | null; merged_into: string | null }>(
      'SELECT status, priority, assignee_id, merged_into FROM support_requests WHERE id = $1',
      [id],
    );
    const actions = await ctx.testDb.db.query<{ action: string }>('SELECT action FROM agent_actions WHERE ticket_id = $1 ORDER BY created_at', [id]);
    const messages = await ctx.testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM support_messages WHERE request_id = $1', [id]);
    return { ...rows[0]!, actions: actions.rows.map((r) => r.action), messages: messages.rows[0]!.n };
  }
  function expectMergedRefusal(res: { statusCode: number; json: () => unknown }, keptId: string) {
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ error: { code: 'conflict', message: expect.stringContaining(ref(keptId)), details: { merged_into: keptId } } });
  }

  it('cannot be reopened, nor change priority or assignee, nor take a note through PATCH: 409 naming the kept ticket, nothing written', async () => {
    const { kept, gone } = await merged();
    const before = await state(gone.ticket.id);
    expect(before).toMatchObject({ status: 'closed', merged_into: kept.ticket.id, actions: ['merge'], messages: 0 });
    for (const change of [{ status: 'open' }, { status: 'pending' }, { priority: 'urgent' }, { assignee_id: alice.id }, { agent_note: 'reopen?' }, { status: 'closed' }]) {
      expectMergedRefusal(await patch(gone.ticket.id, change), kept.ticket.id);
    }
    expect(await state(gone.ticket.id)).toEqual(before);
    // The kept ticket takes changes as before.
    expect((await patch(kept.ticket.id, { priority: 'urgent' })).statusCode).toBe(200);
  });

  it("says where the conversation went in the agent's language", async () => {
    const { kept, gone } = await merged();
    const messages = {
      en: `This ticket was merged into ticket ${ref(kept.ticket.id)}: the conversation continues there.`,
      fr: `Ce ticket a été fusionné avec le ticket ${ref(kept.ticket.id)}\u00a0: la conversation continue là-bas.`,
      nl: `Dit ticket is samengevoegd met ticket ${ref(kept.ticket.id)}: het gesprek gaat daar verder.`,
    };
    for (const [lang, message] of Object.entries(messages)) {
      const res = await patch(gone.ticket.id, { status: 'open' }, { 'accept-language': lang });
      expect(res.json().error.message).toBe(message);
    }
  });

  it("takes no agent reply and no note (409 naming the kept ticket); the kept ticket takes both", async () => {
    const { kept, gone } = await merged();
    const before = await state(gone.ticket.id);
    expectMergedRefusal(await call(alice, 'POST', `/api/agent/tickets/${gone.ticket.id}/messages`, { body: 'Still there?' }), kept.ticket.id);
    expectMergedRefusal(
      await call(alice, 'POST', `/api/agent/tickets/${gone.ticket.id}/messages`, { body: 'Still there?', clientId: randomUUID() }),
      kept.ticket.id,
    );
    expectMergedRefusal(await call(alice, 'POST', `/api/agent/tickets/${gone.ticket.id}/notes`, { body: 'a note' }), kept.ticket.id);
    expect(await state(gone.ticket.id)).toEqual(before);
    const { rows } = await ctx.testDb.db.query<{ n: number }>("SELECT count(*)::int AS n FROM email_queue WHERE request_id = $1 AND email_type = 'agent_reply'", [
      gone.ticket.id,
    ]);
    expect(rows[0]!.n).toBe(0);
    expect((await call(alice, 'POST', `/api/agent/tickets/${kept.ticket.id}/messages`, { body: 'Here' })).statusCode).toBe(201);
    expect((await call(alice, 'POST', `/api/agent/tickets/${kept.ticket.id}/notes`, { body: 'a note' })).statusCode).toBe(201);
  });

  it("takes no customer message and no rating: 409 in the ticket's language, naming the kept ticket", async () => {
    const email = uniqueEmail('merged-customer');
    const kept = await createTicketViaApi(ctx.app, { email, lang: 'nl' });
    const gone = await createTicketViaApi(ctx.app, { email, lang: 'nl' });
    expect((await merge(kept.ticket.id, gone.ticket.id)).statusCode).toBe(200);

    const sent = await sendMessageViaApi(ctx.app, gone.ticket, gone.token, 'nog iemand?');
    expectMergedRefusal(sent, kept.ticket.id);
    expect(sent.json().error.message).toBe(`Dit ticket is samengevoegd met ticket ${ref(kept.ticket.id)}: het gesprek gaat daar verder.`);
    const rating = await ctx.app.inject({
      method: 'POST',
      url: `/api/tickets/${gone.ticket.id}/rating`,
      headers: { authorization: `Bearer ${gone.token}` },
      payload: { score: 1 },
    });
    expectMergedRefusal(rating, kept.ticket.id);
    expect(rating.json().error.message).toContain('samengevoegd');
    const { rows } = await ctx.testDb.db.query<{ n: number }>("SELECT count(*)::int AS n FROM support_analytics WHERE request_id = $1 AND metric_type = 'user_satisfaction'", [gone.ticket.id]);
    expect(rows[0]!.n).toBe(0);
    expect((await state(gone.ticket.id)).messages).toBe(0);
  });

  it('takes no customer message even when reopened before this rule (status open in the row)', async () => {
    const { kept, gone } = await merged();
    await ctx.testDb.db.query("UPDATE support_requests SET status = 'open' WHERE id = $1", [gone.ticket.id]);
    expectMergedRefusal(await sendMessageViaApi(ctx.app, gone.ticket, gone.token, 'hello?'), kept.ticket.id);
    expect((await state(gone.ticket.id)).messages).toBe(0);
  });
});

describe('merge over the WebSocket', () => {
  const isMerged = (channel: string) => (f: ServerFrame) => f.type === FRAME.ticketMerged && f.channel === channel;

  it("tells both tickets' subscribers, then delivers the kept ticket's next message live without replaying the renumbered ones", async () => {
    const { a, b } = await twoTicketsOfOneCustomer();
    const onA = await TestSocket.open(realtimeUrl(ctx.app));
    const onB = await TestSocket.open(realtimeUrl(ctx.app));
    const agent = await TestSocket.open(realtimeUrl(ctx.app), { headers: { cookie: alice.cookie, origin: ORIGIN } });
    sockets.push(onA, onB, agent);
    await onA.subscribe(ticketChannel(a.ticket.id), { token: a.token });
    await onB.subscribe(ticketChannel(b.ticket.id), { token: b.token });
    await agent.subscribe(ticketChannel(a.ticket.id));

    expect((await merge(a.ticket.id, b.ticket.id)).statusCode).toBe(200);
    expect(await onB.waitFor(isMerged(ticketChannel(b.ticket.id)))).toEqual({
      type: FRAME.ticketMerged,
      channel: ticketChannel(b.ticket.id),
      into: a.ticket.id,
    });
    expect(await onA.waitFor(isMerged(ticketChannel(a.ticket.id)))).toMatchObject({ into: a.ticket.id });
    await agent.waitFor(isMerged(ticketChannel(a.ticket.id)));

    await say(a.ticket, a.token, 'after the merge');
    const live = (await onA.waitFor((f) => f.type === FRAME.messageCreated && f.message.body === 'after the merge')) as Extract<
      ServerFrame,
      { type: 'message.created' }
    >;
    expect(live.message.seq).toBe(8);
    expect(onA.seqs(ticketChannel(a.ticket.id))).toEqual([8]);
    await agent.waitFor((f) => f.type === FRAME.messageCreated && f.message.seq === 8);
    expect(agent.seqs(ticketChannel(a.ticket.id))).toEqual([8]);
  });

  it('resumes the merged conversation without gap, with either token, from a message id; a later subscriber of the merged ticket is told to follow', async () => {
    const { a, b } = await twoTicketsOfOneCustomer();
    const firstOfB = (await agentMessages(b.ticket.id))[0]!;
    expect((await merge(a.ticket.id, b.ticket.id)).statusCode).toBe(200);
    const movedSeq = (await agentMessages(a.ticket.id)).find((m) => m.id === firstOfB.id)!.seq;

    const resumed = await TestSocket.open(realtimeUrl(ctx.app));
    sockets.push(resumed);
    await resumed.subscribe(ticketChannel(a.ticket.id), { token: b.token, since: firstOfB.id });
    const expected = Array.from({ length: 7 - movedSeq }, (_, i) => movedSeq + 1 + i);
    expect(await resumed.waitForMessages(ticketChannel(a.ticket.id), expected.length)).toEqual(expected);

    const late = await TestSocket.open(realtimeUrl(ctx.app));
    sockets.push(late);
    await late.subscribe(ticketChannel(b.ticket.id), { token: b.token, since: 0 });
    expect(await late.waitFor(isMerged(ticketChannel(b.ticket.id)))).toMatchObject({ into: a.ticket.id });
    expect(late.seqs(ticketChannel(b.ticket.id))).toEqual([]);
  });
});
