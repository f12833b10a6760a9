import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FRAME, TEAM_CHANNEL } from '../../../contracts/realtime.ts';
import { createLoggedInAgent, type TestAgent } from '../../test/agent-factories.ts';
import { createTicketViaApi } from '../../test/factories.ts';
import { TestSocket, realtimeUrl } from '../../test/test-socket.ts';
import { useTestApp } from '../../test/test-app.ts';

// Issue 16: AUTO_ASSIGN=round_robin gives each new ticket to the available agent least recently given one.
const ctx = useTestApp({ publicUrl: 'http://localhost:3000', autoAssign: 'round_robin' });
type LoggedIn = TestAgent & { cookie: string };
let alice: LoggedIn;
let bob: LoggedIn;
let carol: LoggedIn;
let dave: LoggedIn;
const sockets: TestSocket[] = [];

async function open(agent: LoggedIn): Promise<TestSocket> {
  const socket = await TestSocket.open(realtimeUrl(ctx.app), { headers: { cookie: agent.cookie } });
  sockets.push(socket);
  return socket;
}
async function assigneeOf(ticketId: string): Promise<string | null> {
  const { rows } = await ctx.app.db.query<{ assignee_id: string | null }>('SELECT assignee_id FROM support_requests WHERE id = $1', [ticketId]);
  return rows[0]!.assignee_id;
}
async function availability(agent: LoggedIn): Promise<string> {
  const res = await ctx.app.inject({ method: 'GET', url: '/api/agent/agents', headers: { cookie: agent.cookie } });
  return (res.json().agents as Array<{ id: string; availability: string }>).find((a) => a.id === agent.id)!.availability;
}

beforeAll(async () => {
  alice = await createLoggedInAgent(ctx.app, { name: 'Alice' });
  bob = await createLoggedInAgent(ctx.app, { name: 'Bob' });
  carol = await createLoggedInAgent(ctx.app, { name: 'Carol' });
  dave = await createLoggedInAgent(ctx.app, { name: 'Dave' });
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => {
  for (const s of sockets) s.ws.terminate();
});

describe('round-robin assignment', () => {
  it('shares new tickets fairly among online agents only, even created at once, and alerts only the assignee', async () => {
    const a = await open(alice);
    const b = await open(bob);
    // Carol is connected but away by choice; Dave has no socket (offline).
    await open(carol);
    await ctx.app.inject({ method: 'PUT', url: '/api/agent/availability', headers: { cookie: carol.cookie }, payload: { status: 'away' } });
    await vi.waitFor(async () => {
      expect(await availability(alice)).toBe('online');
      expect(await availability(bob)).toBe('online');
      expect(await availability(carol)).toBe('away');
    });
    await a.subscribe(TEAM_CHANNEL);
    await b.subscribe(TEAM_CHANNEL);

    const created = await Promise.all(Array.from({ length: 6 }, () => createTicketViaApi(ctx.app)));
    const assignees = await Promise.all(created.map(({ ticket }) => assigneeOf(ticket.id)));
    expect(assignees.filter((x) => x === alice.id)).toHaveLength(3);
    expect(assignees.filter((x) => x === bob.id)).toHaveLength(3);

    // The timeline says who got it and why; the alert of each new ticket goes to its assignee alone.
    const detail = await ctx.app.inject({ method: 'GET', url: `/api/agent/tickets/${created[0]!.ticket.id}`, headers: { cookie: alice.cookie } });
    expect(detail.json().timeline).toContainEqual(expect.objectContaining({ type: 'assignment', reason: 'round_robin', to: expect.objectContaining({ id: assignees[0] }) }));
    for (const [i, { ticket }] of created.entries()) {
      const mine = assignees[i] === alice.id ? a : b;
      await mine.waitFor((f) => f.type === FRAME.alert && f.alert.ticket_id === ticket.id);
    }
    const alerted = (s: TestSocket) => s.frames.flatMap((f) => (f.type === FRAME.alert ? [f.alert.ticket_id] : []));
    expect(alerted(a).sort()).toEqual(created.filter((_, i) => assignees[i] === alice.id).map((c) => c.ticket.id).sort());
    expect(alerted(b).sort()).toEqual(created.filter((_, i) => assignees[i] === bob.id).map((c) => c.ticket.id).sort());
  });

  it('assigns nothing once an admin turns round-robin off, and assigns again once it is back on', async () => {
    const admin = await createLoggedInAgent(ctx.app, { name: 'Zoe', role: 'admin' });
    const choose = (autoAssign: string) =>
      ctx.app.inject({ method: 'PUT', url: '/api/agent/team/settings', headers: { cookie: admin.cookie }, payload: { autoAssign } });
    expect((await choose('off')).json()).toMatchObject({ autoAssign: 'off' });
    const off = await createTicketViaApi(ctx.app);
    expect(await assigneeOf(off.ticket.id)).toBeNull();
    expect((await choose('round_robin')).json()).toMatchObject({ autoAssign: 'round_robin' });
    const on = await createTicketViaApi(ctx.app);
    expect([alice.id, bob.id]).toContain(await assigneeOf(on.ticket.id));
  });

  it('leaves the ticket unassigned when every agent is idle, away or offline', async () => {
    for (const s of sockets) s.send({ type: 'activity', idle: true });
    await vi.waitFor(async () => {
      expect(await availability(alice)).toBe('away');
      expect(await availability(bob)).toBe('away');
    });
    const { ticket } = await createTicketViaApi(ctx.app);
    expect(await assigneeOf(ticket.id)).toBeNull();
    expect(await availability(dave)).toBe('offline');
  });
});
