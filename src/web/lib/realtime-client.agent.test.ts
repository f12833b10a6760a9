import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { QUEUE_CHANNEL, REALTIME_CLOSE, REALTIME_PATH, ticketChannel, type ServerFrame } from '../../contracts/realtime.ts';
import type { Message, Ticket } from '../../contracts/tickets.ts';
import type { Db } from '../../server/db/index.ts';
import { TestSocket, realtimeUrl } from '../../server/test/test-socket.ts';
import { createLoggedInAgent } from '../../server/test/agent-factories.ts';
import { createTicketViaApi, sendMessageViaApi } from '../../server/test/factories.ts';
import { freePort } from '../../server/test/server-process.ts';
import { useTestApp } from '../../server/test/test-app.ts';
import { createRealtimeClient, type RealtimeClient, type RealtimeState } from './realtime-client.ts';

const ctx = useTestApp();
let app: FastifyInstance & { db: Db };
const opened: WebSocket[] = [];
const clients: RealtimeClient[] = [];
const customers: TestSocket[] = [];

beforeAll(async () => {
  app = ctx.app as FastifyInstance & { db: Db };
  await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  for (const c of clients) c.close();
  for (const ws of opened) ws.terminate();
  await Promise.all(customers.map((c) => c.close()));
});

/**
 * The browser's WebSocket as the dashboard has it: the session cookie goes with the upgrade. Held on a
 * dead port while the gate is closed; every frame the client sends is kept in `sent`.
 */
function agentWebSocket(cookie: string, gate: { open: boolean }, deadUrl: string, sent: Array<Record<string, unknown>>): typeof globalThis.WebSocket {
  class AgentSocket extends WebSocket {
    constructor(url: string) {
      super(gate.open ? url : deadUrl, { headers: { cookie } });
      opened.push(this);
    }
    override send(data: string): void {
      super.send(data);
      sent.push(JSON.parse(data) as Record<string, unknown>);
    }
  }
  return AgentSocket as unknown as typeof globalThis.WebSocket;
}

async function until(check: () => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The realtime client as a staff page has it: an agent's session cookie; its states and the frames it sends are recorded. */
async function agentClient() {
  const agent = await createLoggedInAgent(app);
  const gate = { open: true };
  const deadUrl = `ws://127.0.0.1:${await freePort()}${REALTIME_PATH}`;
  const from = opened.length;
  const sent: Array<Record<string, unknown>> = [];
  const client = createRealtimeClient({
    url: realtimeUrl(app),
    WebSocketImpl: agentWebSocket(agent.cookie, gate, deadUrl, sent),
    reconnectBaseMs: 20,
  });
  clients.push(client);
  const states: RealtimeState[] = [];
  const codes: Array<number | undefined> = [];
  client.onState((s, code) => {
    states.push(s);
    codes.push(code);
  });
  /** Cuts the live socket and holds the connection away until `back()`. */
  const cut = async () => {
    gate.open = false;
    const seen = states.length;
    for (const ws of opened.slice(from)) ws.terminate();
    await until(() => states.slice(seen).includes('reconnecting'));
  };
  const back = () => {
    gate.open = true;
  };
  return { agent, client, states, codes, sent, cut, back };
}

describe('createRealtimeClient on a staff page (agent session)', () => {
  it('opens before any subscription, shares the queue channel between listeners, and catches up after a reconnect', async () => {
    const { client, states, sent, cut, back } = await agentClient();
    client.connect();
    await until(() => client.state === 'open');
    expect(states).toEqual(['connecting', 'open']);

    const first: ServerFrame[] = [];
    const second: Ticket[] = [];
    const offFirst = client.subscribe(QUEUE_CHANNEL, { onFrame: (f) => first.push(f) });
    const offSecond = client.subscribe(QUEUE_CHANNEL, { onTicket: (t) => second.push(t) });
    await until(() => first.some((f) => f.type === 'subscribed'));
    // One subscription on the wire for two listeners.
    expect(sent.filter((f) => f.type === 'subscribe')).toHaveLength(1);

    const { ticket } = await createTicketViaApi(app);
    await until(() => second.some((t) => t.id === ticket.id));
    expect(first.some((f) => f.type === 'ticket.created' && f.ticket.id === ticket.id)).toBe(true);

    // The queue has no resume point: the page refetches on every `subscribed`, which comes again after a reconnect.
    const subscribedBefore = first.filter((f) => f.type === 'subscribed').length;
    await cut();
    back();
    await until(() => first.filter((f) => f.type === 'subscribed').length === subscribedBefore + 1);
    expect(client.state).toBe('open');
    expect(states.slice(2)).toEqual(['reconnecting', 'open']);

    // The last listener to leave unsubscribes.
    offFirst();
    expect(sent.filter((f) => f.type === 'unsubscribe')).toHaveLength(0);
    offSecond();
    expect(sent.filter((f) => f.type === 'unsubscribe')).toEqual([
      { type: 'unsubscribe', channel: QUEUE_CHANNEL },
    ]);
    client.close();
    expect(client.state).toBe('closed');
  });

  it('a ticket channel resumes from the newest loaded seq, across a reconnect, with typing and presence', async () => {
    const { client, sent, cut, back } = await agentClient();
    client.connect();
    const { ticket, token } = await createTicketViaApi(app);
    const channel = ticketChannel(ticket.id);
    // The ticket page loaded seq 1; the customer writes before the page subscribes.
    await sendMessageViaApi(app, ticket, token, 'before the subscription');

    const messages: Message[] = [];
    const typing: Array<[string, boolean]> = [];
    const viewers: number[] = [];
    client.subscribe(channel, { since: 1, onMessage: (m) => messages.push(m), onTyping: (a, t) => typing.push([a, t]), onPresence: (n) => viewers.push(n) });
    await until(() => messages.length === 1 && viewers.length > 0);
    expect(messages[0]!.body).toBe('before the subscription');
    expect(viewers.at(-1)).toBe(1);
    expect(sent.find((f) => f.type === 'subscribe')).toMatchObject({ channel, since: 1 });

    const customer = await TestSocket.open(realtimeUrl(app));
    customers.push(customer);
    await customer.subscribe(channel, { token });
    client.typing(channel, true);
    await customer.waitFor((f) => f.type === 'typing' && f.author_type === 'agent' && f.typing);
    customer.send({ type: 'typing', channel, typing: true });
    await until(() => typing.some(([a, t]) => a === 'user' && t));

    await cut();
    await sendMessageViaApi(app, ticket, token, 'while away');
    back();
    await until(() => messages.length === 2);
    await sendMessageViaApi(app, ticket, token, 'live again');
    await until(() => messages.length === 3);
    expect(messages.map((m) => m.seq)).toEqual([2, 3, 4]);
    client.close();
  });

  it('reports the close for an ended session (4001) once, and stops reconnecting', async () => {
    const { agent, client, states, codes } = await agentClient();
    const revoked = () => codes.filter((c) => c === REALTIME_CLOSE.revoked).length;
    client.connect();
    await until(() => client.state === 'open');
    const res = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: agent.cookie } });
    expect(res.statusCode).toBeLessThan(300);
    // The server checks the session again before an agent's subscription: ended, it closes with 4001.
    const { ticket } = await createTicketViaApi(app);
    client.subscribe(ticketChannel(ticket.id), { since: 1 });
    await until(() => revoked() === 1);
    expect(client.state).toBe('closed');
    await new Promise((r) => setTimeout(r, 200));
    expect(states.at(-1)).toBe('closed');
    expect(states.filter((s) => s === 'connecting')).toHaveLength(1);
  });
});
