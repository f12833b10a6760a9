import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAME, ticketChannel } from '../../../contracts/realtime.ts';
import { createLoggedInAgent, expectBusEvent, type TestAgent } from '../../test/agent-factories.ts';
import { createTicketViaApi } from '../../test/factories.ts';
import { TestSocket, realtimeUrl } from '../../test/test-socket.ts';
import { useTestApp } from '../../test/test-app.ts';
import { runEscalationOnce } from './escalate-overdue.ts';

// Issue 16: internal notes, the ticket's timeline and assignment.
const ORIGIN = 'http://localhost:3000';
const ctx = useTestApp({ publicUrl: ORIGIN });
type LoggedIn = TestAgent & { cookie: string };
let alice: LoggedIn;
let bob: LoggedIn;
let admin: LoggedIn;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  alice = await createLoggedInAgent(ctx.app, { name: 'Alice' });
  bob = await createLoggedInAgent(ctx.app, { name: 'Bob' });
  admin = await createLoggedInAgent(ctx.app, { name: 'Admin', role: 'admin' });
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => {
  for (const s of sockets) s.ws.terminate();
});

function call(agent: LoggedIn | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method, url, payload, headers: { ...(agent ? { cookie: agent.cookie } : {}), ...headers } });
}
const note = (agent: LoggedIn | null, id: string, body: unknown, headers?: Record<string, string>) =>
  call(agent, 'POST', `/api/agent/tickets/${id}/notes`, { body }, headers);
const patch = (agent: LoggedIn, id: string, payload: object) => call(agent, 'PATCH', `/api/agent/tickets/${id}`, payload);
async function timeline(id: string) {
  const res = await call(alice, 'GET', `/api/agent/tickets/${id}`);
  expect(res.statusCode).toBe(200);
  return res.json().timeline as Array<Record<string, unknown>>;
}

describe('POST /api/agent/tickets/:id/notes', () => {
  it('stores a note and answers 201 with it, the author named', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    const res = await note(alice, ticket.id, '  Client VIP, rappeler avant 18 h  ');
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.note).toMatchObject({ type: 'note', body: 'Client VIP, rappeler avant 18 h', agent: { id: alice.id, name: 'Alice' } });
    expect(new Date(body.note.created_at).toISOString()).toBe(body.note.created_at);
    expect(await timeline(ticket.id)).toEqual([body.note]);
  });

  it('answers 401 without a session, 403 from another site, 404 for an unknown ticket, 400 for an empty or unknown field', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    expect((await note(null, ticket.id, 'x')).statusCode).toBe(401);
    const foreign = await note(alice, ticket.id, 'x', { origin: 'https://evil.example' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('forbidden');
    const missing = await note(alice, randomUUID(), 'x');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    expect((await note(alice, ticket.id, '   ')).statusCode).toBe(400);
    expect((await note(alice, ticket.id, 'a'.repeat(2001))).statusCode).toBe(400);
    expect((await call(alice, 'POST', `/api/agent/tickets/${ticket.id}/notes`, { body: 'x', to: 'customer' })).statusCode).toBe(400);
    expect((await note(alice, ticket.id, 'nul\u0000')).statusCode).toBe(400);
    expect(await timeline(ticket.id)).toEqual([]);
  });

  it('never reaches the customer: not over REST, not over the WebSocket, not by e-mail; the other agents hear of it live', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    const channel = ticketChannel(ticket.id);
    const customer = await TestSocket.open(realtimeUrl(ctx.app));
    const otherAgent = await TestSocket.open(realtimeUrl(ctx.app), { headers: { cookie: bob.cookie, origin: ORIGIN } });
    sockets.push(customer, otherAgent);
    await customer.subscribe(channel, { token });
    await otherAgent.subscribe(channel);
    const mailsBefore = await ctx.testDb.db.query('SELECT id FROM email_queue WHERE request_id = $1', [ticket.id]);

    const secret = `secret-note-${randomUUID()}`;
    expect((await note(alice, ticket.id, secret)).statusCode).toBe(201);
    await otherAgent.waitFor((f) => f.type === FRAME.timelineUpdated && f.channel === channel);
    // A later public event proves the customer's socket was served after the note.
    expect((await call(alice, 'POST', `/api/agent/tickets/${ticket.id}/messages`, { body: 'Une réponse publique' })).statusCode).toBe(201);
    await customer.waitFor((f) => f.type === FRAME.messageCreated);

    expect(JSON.stringify(customer.frames)).not.toContain(secret);
    expect(customer.frames.some((f) => f.type === FRAME.timelineUpdated)).toBe(false);
    const auth = { authorization: `Bearer ${token}` };
    for (const url of [`/api/tickets/${ticket.id}`, `/api/tickets/${ticket.id}/messages`]) {
      const res = await ctx.app.inject({ url, headers: auth });
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(secret);
      expect(res.body).not.toContain('timeline');
    }
    const mails = await ctx.testDb.db.query<{ email_type: string }>('SELECT email_type FROM email_queue WHERE request_id = $1 ORDER BY created_at', [
      ticket.id,
    ]);
    // Only the public reply added an e-mail; e-mails are rendered from messages, and the note is none.
    expect(mails.rows.length).toBe(mailsBefore.rows.length + 1);
    expect(mails.rows.at(-1)!.email_type).toBe('agent_reply');
    const messages = await ctx.testDb.db.query('SELECT 1 FROM support_messages WHERE request_id = $1 AND body LIKE $2', [ticket.id, '%secret-note%']);
    expect(messages.rows).toEqual([]);
  });

  it('publishes timeline.updated on the bus after commit', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    await expectBusEvent(ctx.testDb.db, { type: 'timeline.updated', ticketId: ticket.id }, () => note(bob, ticket.id, 'vu'));
  });
});

describe('GET /api/agent/tickets/:id timeline', () => {
  it('lists notes and status, priority and assignment changes, escalations and the rating with its comment, in order', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    expect((await patch(alice, ticket.id, { priority: 'high', agent_note: 'allergie' })).statusCode).toBe(200);
    expect((await patch(alice, ticket.id, { assignee_id: bob.id })).statusCode).toBe(200);
    expect((await note(bob, ticket.id, 'je prends')).statusCode).toBe(201);
    const escalated = await runEscalationOnce(ctx.testDb.db, { windows: { high: 1 }, now: new Date(Date.now() + 3_600_000) });
    expect(escalated).toContainEqual({ ticketId: ticket.id, from: 'high', to: 'urgent' });
    expect((await patch(bob, ticket.id, { status: 'resolved' })).statusCode).toBe(200);
    const rated = await ctx.app.inject({
      method: 'POST',
      url: `/api/tickets/${ticket.id}/rating`,
      headers: { authorization: `Bearer ${token}` },
      payload: { score: 2, comment: 'Trop lent' },
    });
    expect(rated.statusCode).toBe(201);

    const entries = await timeline(ticket.id);
    expect(entries.map((e) => e.type)).toEqual(['priority', 'note', 'assignment', 'note', 'escalation', 'status', 'rating']);
    expect(entries[0]).toMatchObject({ from: 'normal', to: 'high', agent: { id: alice.id, name: 'Alice' } });
    expect(entries[1]).toMatchObject({ body: 'allergie', agent: { name: 'Alice' } });
    expect(entries[2]).toMatchObject({ from: null, to: { id: bob.id, name: 'Bob' }, agent: { name: 'Alice' }, reason: null });
    expect(entries[4]).toMatchObject({ from: 'high', to: 'urgent', agent: null });
    expect(entries[5]).toMatchObject({ from: 'open', to: 'resolved', agent: { name: 'Bob' } });
    expect(entries[6]).toMatchObject({ score: 2, comment: 'Trop lent', agent: null });
    const times = entries.map((e) => e.created_at as string);
    expect([...times].sort()).toEqual(times);
  });
});

describe('assignment', () => {
  it('assigns, reassigns and unassigns through PATCH, each change on the timeline', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    const mine = await patch(alice, ticket.id, { assignee_id: alice.id });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().ticket.assignee_id).toBe(alice.id);
    expect((await patch(alice, ticket.id, { assignee_id: bob.id })).json().ticket.assignee_id).toBe(bob.id);
    expect((await patch(bob, ticket.id, { assignee_id: null })).json().ticket.assignee_id).toBeNull();
    // The same assignee again changes nothing and adds no entry.
    expect((await patch(bob, ticket.id, { assignee_id: null })).statusCode).toBe(200);
    const entries = (await timeline(ticket.id)).filter((e) => e.type === 'assignment');
    expect(entries.map((e) => [(e.from as { id: string } | null)?.id ?? null, (e.to as { id: string } | null)?.id ?? null])).toEqual([
      [null, alice.id],
      [alice.id, bob.id],
      [bob.id, null],
    ]);
  });

  it('refuses an unknown, disabled or malformed assignee with 400 and changes nothing', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    const gone = await createLoggedInAgent(ctx.app);
    await ctx.testDb.db.query('UPDATE agents SET disabled = true WHERE id = $1', [gone.id]);
    for (const assignee_id of [randomUUID(), gone.id, 'alice', 42]) {
      const res = await patch(alice, ticket.id, { assignee_id });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
    expect((await timeline(ticket.id)).length).toBe(0);
    expect((await patch(alice, randomUUID(), { assignee_id: alice.id })).statusCode).toBe(404);
  });

  it('filters the queue with assignee=me|none|<agent id>', async () => {
    const tag = `asg${randomUUID().slice(0, 8)}`;
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await createTicketViaApi(ctx.app, { email: `${tag}.${i}@example.com` })).ticket.id);
    await patch(alice, ids[0]!, { assignee_id: alice.id });
    await patch(alice, ids[1]!, { assignee_id: bob.id });
    const list = async (agent: LoggedIn, assignee: string) => {
      const res = await call(agent, 'GET', `/api/agent/tickets?q=${tag}&assignee=${assignee}`);
      expect(res.statusCode).toBe(200);
      return (res.json().tickets as Array<{ id: string }>).map((t) => t.id).sort();
    };
    expect(await list(alice, 'me')).toEqual([ids[0]]);
    expect(await list(bob, 'me')).toEqual([ids[1]]);
    expect(await list(alice, 'none')).toEqual([ids[2]]);
    expect(await list(alice, bob.id)).toEqual([ids[1]]);
    const all = await call(alice, 'GET', `/api/agent/tickets?q=${tag}`);
    expect(all.json().tickets).toHaveLength(3);
    expect((await call(alice, 'GET', `/api/agent/tickets?assignee=someone`)).statusCode).toBe(400);
  });

  it("returns a disabled agent's open and pending tickets to the unassigned queue, and leaves resolved ones", async () => {
    const leaver = await createLoggedInAgent(ctx.app, { name: 'Leaver' });
    const [open, pending, resolved] = await Promise.all([1, 2, 3].map(() => createTicketViaApi(ctx.app)));
    for (const t of [open!, pending!, resolved!]) await patch(alice, t.ticket.id, { assignee_id: leaver.id });
    await patch(alice, pending!.ticket.id, { status: 'pending' });
    await patch(alice, resolved!.ticket.id, { status: 'resolved' });

    const res = await call(admin, 'PATCH', `/api/admin/agents/${leaver.id}`, { disabled: true });
    expect(res.statusCode).toBe(200);
    const { rows } = await ctx.testDb.db.query<{ id: string; assignee_id: string | null }>(
      'SELECT id, assignee_id FROM support_requests WHERE id = ANY($1::uuid[])',
      [[open!.ticket.id, pending!.ticket.id, resolved!.ticket.id]],
    );
    const byId = new Map(rows.map((r) => [r.id, r.assignee_id]));
    expect(byId.get(open!.ticket.id)).toBeNull();
    expect(byId.get(pending!.ticket.id)).toBeNull();
    expect(byId.get(resolved!.ticket.id)).toBe(leaver.id);
    const last = (await timeline(open!.ticket.id)).at(-1);
    expect(last).toMatchObject({ type: 'assignment', agent: null, from: { id: leaver.id, name: 'Leaver' }, to: null, reason: 'agent_disabled' });
  });
});
