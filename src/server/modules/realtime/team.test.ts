import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FRAME, TEAM_CHANNEL, ticketChannel, type ServerFrame } from '../../../contracts/realtime.ts';
import { createLoggedInAgent, type TestAgent } from '../../test/agent-factories.ts';
import { createTicketViaApi, sendMessageViaApi } from '../../test/factories.ts';
import { TestSocket, realtimeUrl } from '../../test/test-socket.ts';
import { useTestApp } from '../../test/test-app.ts';

// Issue 16: agents' availability, their alerts on the `team` channel, @mentions, and one agent seeing
// another typing on the same ticket.
const ORIGIN = 'http://localhost:3000';
const ctx = useTestApp({ publicUrl: ORIGIN });
type LoggedIn = TestAgent & { cookie: string };
let alice: LoggedIn;
let bob: LoggedIn;
let carol: LoggedIn;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  alice = await createLoggedInAgent(ctx.app, { name: 'Alice Martin' });
  bob = await createLoggedInAgent(ctx.app, { name: 'Bob' });
  carol = await createLoggedInAgent(ctx.app, { name: 'Carol' });
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => {
  for (const s of sockets) s.ws.terminate();
});

async function open(agent: LoggedIn | null): Promise<TestSocket> {
  const socket = await TestSocket.open(realtimeUrl(ctx.app), agent ? { headers: { cookie: agent.cookie } } : {});
  sockets.push(socket);
  return socket;
}
function call(agent: LoggedIn | null, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method, url, payload, headers: { ...(agent ? { cookie: agent.cookie } : {}), ...headers } });
}
async function availabilityOf(agent: LoggedIn): Promise<string> {
  const res = await call(alice, 'GET', '/api/agent/agents');
  expect(res.statusCode).toBe(200);
  return (res.json().agents as Array<{ id: string; availability: string }>).find((a) => a.id === agent.id)!.availability;
}
const isAvailability = (agent: LoggedIn, availability: string) => (f: ServerFrame) =>
  f.type === FRAME.availability && f.agent_id === agent.id && f.availability === availability;
const alertsOf = (socket: TestSocket) => socket.frames.flatMap((f) => (f.type === FRAME.alert ? [f.alert] : []));

describe('availability', () => {
  it('is offline without a socket, online with one, away when idle or chosen, offline again when the socket closes', async () => {
    const watcher = await open(alice);
    await watcher.subscribe(TEAM_CHANNEL);
    expect(await availabilityOf(bob)).toBe('offline');

    const bobSocket = await open(bob);
    await watcher.waitFor(isAvailability(bob, 'online'));
    expect(await availabilityOf(bob)).toBe('online');

    bobSocket.send({ type: 'activity', idle: true });
    await watcher.waitFor(isAvailability(bob, 'away'));
    expect(await availabilityOf(bob)).toBe('away');
    // A second tab still in use keeps the agent online.
    const bobSecondTab = await open(bob);
    await watcher.waitFor(isAvailability(bob, 'online'), 20_000, watcher.frames.findIndex(isAvailability(bob, 'away')));
    await bobSecondTab.close();
    bobSocket.send({ type: 'activity', idle: false });

    const chosen = await call(bob, 'PUT', '/api/agent/availability', { status: 'away' });
    expect(chosen.statusCode).toBe(200);
    expect(chosen.json()).toEqual({ status: 'away', availability: 'away' });
    expect(await availabilityOf(bob)).toBe('away');
    expect((await call(bob, 'PUT', '/api/agent/availability', { status: 'offline' })).json()).toEqual({ status: 'offline', availability: 'offline' });
    expect((await call(bob, 'PUT', '/api/agent/availability', { status: 'online' })).json()).toEqual({ status: 'online', availability: 'online' });

    const from = watcher.frames.length;
    await bobSocket.close();
    await watcher.waitFor(isAvailability(bob, 'offline'), 20_000, from);
    expect(await availabilityOf(bob)).toBe('offline');
    expect((await call(bob, 'GET', '/api/agent/availability')).json()).toEqual({ status: 'online', availability: 'offline' });
  });

  it('answers 401 without a session, 403 from another site, 400 for an unknown status, and refuses `team` and `activity` to anonymous sockets', async () => {
    expect((await call(null, 'GET', '/api/agent/agents')).statusCode).toBe(401);
    expect((await call(null, 'PUT', '/api/agent/availability', { status: 'away' })).statusCode).toBe(401);
    const foreign = await call(bob, 'PUT', '/api/agent/availability', { status: 'away' }, { origin: 'https://evil.example' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('forbidden');
    const bad = await call(bob, 'PUT', '/api/agent/availability', { status: 'busy' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_request');

    const anonymous = await open(null);
    await expect(anonymous.subscribe(TEAM_CHANNEL)).rejects.toMatchObject({ code: 'unauthorized' });
    anonymous.send({ type: 'activity', idle: true });
    await anonymous.waitFor((f) => f.type === FRAME.error && f.code === 'unauthorized' && !('channel' in f && f.channel));
  });

  it('lists only active agents, with their name and role', async () => {
    const res = await call(carol, 'GET', '/api/agent/agents');
    const names = (res.json().agents as Array<{ name: string; role: string }>).map((a) => a.name);
    expect(names).toEqual(expect.arrayContaining(['Alice Martin', 'Bob', 'Carol']));
    await ctx.app.db.query('UPDATE agents SET disabled = true WHERE id = $1', [carol.id]);
    const after = await call(alice, 'GET', '/api/agent/agents');
    expect((after.json().agents as Array<{ id: string }>).map((a) => a.id)).not.toContain(carol.id);
    await ctx.app.db.query('UPDATE agents SET disabled = false WHERE id = $1', [carol.id]);
  });
});

describe('alerts on the team channel', () => {
  it('tells every agent of a new unassigned ticket, and only the assignee of a customer answer', async () => {
    const a = await open(alice);
    const b = await open(bob);
    await a.subscribe(TEAM_CHANNEL);
    await b.subscribe(TEAM_CHANNEL);
    const { ticket, token } = await createTicketViaApi(ctx.app, { message: 'Ma commande est froide' });
    for (const s of [a, b]) {
      const frame = await s.waitFor((f) => f.type === FRAME.alert && f.alert.ticket_id === ticket.id);
      expect(frame).toMatchObject({ channel: TEAM_CHANNEL, alert: { kind: 'ticket_created', email: ticket.email, excerpt: 'Ma commande est froide', by: null } });
    }

    const assigned = await call(alice, 'PATCH', `/api/agent/tickets/${ticket.id}`, { assignee_id: alice.id });
    expect(assigned.statusCode).toBe(200);
    expect((await sendMessageViaApi(ctx.app, ticket, token, 'Toujours rien ?')).statusCode).toBe(201);
    const answer = await a.waitFor((f) => f.type === FRAME.alert && f.alert.kind === 'customer_message' && f.alert.ticket_id === ticket.id);
    expect(answer).toMatchObject({ alert: { excerpt: 'Toujours rien ?', email: ticket.email } });
    // Bob, not the assignee, has heard a later ticket's alert and never an answer alert.
    const marker = await createTicketViaApi(ctx.app);
    await b.waitFor((f) => f.type === FRAME.alert && f.alert.ticket_id === marker.ticket.id);
    expect(alertsOf(b).filter((x) => x.kind === 'customer_message')).toEqual([]);
    // The opening message is the new ticket's alert, never an answer.
    expect(alertsOf(a).filter((x) => x.kind === 'customer_message' && x.excerpt === 'Ma commande est froide')).toEqual([]);
  });
});

describe('@mentions in notes', () => {
  it('alerts the agent named, stores the mention for later, and marks it read', async () => {
    const b = await open(bob);
    await b.subscribe(TEAM_CHANNEL);
    const { ticket } = await createTicketViaApi(ctx.app);
    const res = await call(alice, 'POST', `/api/agent/tickets/${ticket.id}/notes`, { body: '@bob peux-tu rappeler ? cc @Carol' });
    expect(res.statusCode).toBe(201);
    const frame = await b.waitFor((f) => f.type === FRAME.alert && f.alert.kind === 'mention' && f.alert.ticket_id === ticket.id);
    expect(frame).toMatchObject({ alert: { by: { id: alice.id, name: 'Alice Martin' }, excerpt: '@bob peux-tu rappeler ? cc @Carol' } });

    // Carol had no socket open: the mention waits for her.
    const carolUnread = await call(carol, 'GET', '/api/agent/mentions?unread=1');
    expect(carolUnread.statusCode).toBe(200);
    const [mention] = carolUnread.json().mentions;
    expect(mention).toMatchObject({ ticket_id: ticket.id, note_id: res.json().note.id, by: { id: alice.id, name: 'Alice Martin' }, read_at: null });
    // Nobody else can mark it read; Carol can.
    expect((await call(bob, 'POST', '/api/agent/mentions/read', { ids: [mention.id] })).statusCode).toBe(204);
    expect((await call(carol, 'GET', '/api/agent/mentions?unread=1')).json().mentions).toHaveLength(1);
    expect((await call(carol, 'POST', '/api/agent/mentions/read', { ids: [mention.id] })).statusCode).toBe(204);
    expect((await call(carol, 'GET', '/api/agent/mentions?unread=1')).json().mentions).toEqual([]);
    expect((await call(carol, 'GET', '/api/agent/mentions')).json().mentions[0].read_at).not.toBeNull();
    // The author is not notified of their own name; an unrelated address names nobody.
    await call(alice, 'POST', `/api/agent/tickets/${ticket.id}/notes`, { body: '@Alice Martin écrit à x@bob.be' });
    expect((await call(alice, 'GET', '/api/agent/mentions')).json().mentions).toEqual([]);
  });

  it('answers 401 without a session and 400 for ids that are not uuids', async () => {
    expect((await call(null, 'GET', '/api/agent/mentions')).statusCode).toBe(401);
    expect((await call(bob, 'POST', '/api/agent/mentions/read', { ids: ['nope'] })).statusCode).toBe(400);
    expect((await call(bob, 'POST', '/api/agent/mentions/read', { ids: [randomUUID()] }, { origin: 'https://evil.example' })).statusCode).toBe(403);
  });
});

describe('two agents on one ticket', () => {
  it("tells the other agent who is typing, with their name, and never tells the customer which agent", async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    const channel = ticketChannel(ticket.id);
    const a = await open(alice);
    const b = await open(bob);
    const customer = await open(null);
    await a.subscribe(channel);
    await b.subscribe(channel);
    await customer.subscribe(channel, { token });
    a.send({ type: 'typing', channel, typing: true });
    const seen = await b.waitFor((f) => f.type === FRAME.typing && f.typing);
    expect(seen).toEqual({ type: 'typing', channel, author_type: 'agent', typing: true, agent: { id: alice.id, name: 'Alice Martin' } });
    const told = await customer.waitFor((f) => f.type === FRAME.typing && f.typing);
    expect(told).toEqual({ type: 'typing', channel, author_type: 'agent', typing: true });
    a.send({ type: 'typing', channel, typing: false });
    await b.waitFor((f) => f.type === FRAME.typing && !f.typing);
    await vi.waitFor(() => expect(customer.frames.some((f) => f.type === FRAME.typing && !f.typing)).toBe(true));
    expect(a.frames.filter((f) => f.type === FRAME.typing)).toEqual([]);
  });
});
