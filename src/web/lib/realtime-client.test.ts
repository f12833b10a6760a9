import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ticketChannel } from '../../contracts/realtime.ts';
import { REALTIME_PATH, type ServerFrame } from '../../contracts/realtime.ts';
import type { Message } from '../../contracts/tickets.ts';
import { createTicketViaApi, sendMessageViaApi } from '../../server/test/factories.ts';
import { freePort } from '../../server/test/server-process.ts';
import { useTestApp } from '../../server/test/test-app.ts';
import { realtimeUrl } from '../../server/test/test-socket.ts';
import { createRealtimeClient, type RealtimeState } from './realtime-client.ts';

// A short idle time: a socket following nothing is closed by the server (4008) within about 1.5 s.
const ctx = useTestApp({ wsIdleSeconds: 1 });
let app: FastifyInstance;
const opened: WebSocket[] = [];

// The `ws` client, recording each socket so a test can cut the link under the client's feet.
class RecordingWebSocket extends WebSocket {
  constructor(url: string) {
    super(url);
    opened.push(this);
  }
}

beforeAll(async () => {
  app = ctx.app;
  await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(() => {
  for (const ws of opened) ws.terminate();
});

/**
 * A client whose `ws` sockets are held away from the server while `gate.open` is false: its
 * (re)connections go to a port where nothing listens and fail like a network blip, so a test can write
 * messages while the client is certainly disconnected, and its resume is exercised for sure, not by luck
 * of timing. `cutAndHoldAway` closes the gate and cuts the live socket, returning once it is reconnecting.
 */
async function gatedClient() {
  const gate = { open: true };
  const deadUrl = `ws://127.0.0.1:${await freePort()}${REALTIME_PATH}`;
  class Gated extends WebSocket {
    constructor(url: string) {
      super(gate.open ? url : deadUrl);
      opened.push(this);
    }
  }
  const states: RealtimeState[] = [];
  const from = opened.length;
  const client = createRealtimeClient({
    url: realtimeUrl(app),
    WebSocketImpl: Gated as unknown as typeof globalThis.WebSocket,
    reconnectBaseMs: 20,
    reconnectMaxMs: 200,
  });
  client.onState((s) => states.push(s));
  const cutAndHoldAway = async () => {
    gate.open = false;
    const seen = states.length;
    for (const ws of opened.slice(from)) ws.terminate();
    await until(() => states.slice(seen).includes('reconnecting'));
  };
  return { client, gate, cutAndHoldAway };
}

async function until(check: () => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('createRealtimeClient', () => {
  it('reconnects after the link drops and resumes from the last seq: nothing lost, nothing twice', async () => {
    const { ticket, token } = await createTicketViaApi(app);
    const received: Message[] = [];
    const states: RealtimeState[] = [];
    const client = createRealtimeClient({
      url: realtimeUrl(app),
      WebSocketImpl: RecordingWebSocket as unknown as typeof globalThis.WebSocket,
      reconnectBaseMs: 50,
    });
    client.onState((s) => states.push(s));
    const before = opened.length;
    client.subscribe(ticketChannel(ticket.id), { token, since: 0, onMessage: (m) => received.push(m) });
    await until(() => received.length === 1);
    await sendMessageViaApi(app, ticket, token, 'before the drop');
    await until(() => received.length === 2);

    opened[before]!.terminate();
    await until(() => states.includes('reconnecting'));
    await sendMessageViaApi(app, ticket, token, 'while away 1');
    await sendMessageViaApi(app, ticket, token, 'while away 2');
    await until(() => received.length === 4);
    await sendMessageViaApi(app, ticket, token, 'live again');
    await until(() => received.length === 5);
    expect(received.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(opened.length - before).toBeGreaterThanOrEqual(2);
    expect(states).toEqual(expect.arrayContaining(['connecting', 'open', 'reconnecting']));
    client.close();
    expect(client.state).toBe('closed');
  });

  it('reports a refused subscription once and does not retry it', async () => {
    const { ticket } = await createTicketViaApi(app);
    const errors: string[] = [];
    const client = createRealtimeClient({ url: realtimeUrl(app), WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket });
    client.subscribe(ticketChannel(ticket.id), { token: 'wrong', onError: (code) => errors.push(code) });
    await until(() => errors.length === 1);
    expect(errors).toEqual(['not_found']);
    client.close();
  });
});

describe('createRealtimeClient: a socket closed for following nothing', () => {
  it('stays closed after the idle close (4008) instead of reconnecting, and opens again on the next subscribe', async () => {
    const states: string[] = [];
    const before = opened.length;
    const client = createRealtimeClient({
      url: realtimeUrl(app),
      WebSocketImpl: RecordingWebSocket as unknown as typeof globalThis.WebSocket,
      reconnectBaseMs: 20,
      reconnectMaxMs: 50,
    });
    client.onState((s, code) => states.push(code ? `${s} ${code}` : s));
    client.connect();
    await until(() => states.includes('closed 4008'));
    // Ten times the longest reconnect delay: a client that reconnected would have opened a socket by now.
    await new Promise((r) => setTimeout(r, 500));
    expect(opened.length - before).toBe(1);

    const { ticket, token } = await createTicketViaApi(app);
    const received: Message[] = [];
    client.subscribe(ticketChannel(ticket.id), { token, since: 0, onMessage: (m) => received.push(m) });
    await until(() => received.length === 1);
    expect(opened.length - before).toBe(2);
    client.close();
  });
});

describe('createRealtimeClient: where a subscription resumes', () => {
  it('from the seq of the newest message the page loaded: what was said before the subscription, and while away, arrives once', async () => {
    const { ticket, token } = await createTicketViaApi(app);
    // The page loads the conversation (seq 1: the opening message), then a message is sent before it subscribes.
    const loaded = await app.inject({ method: 'GET', url: `/api/tickets/${ticket.id}/messages`, headers: { authorization: `Bearer ${token}` } });
    expect(loaded.statusCode).toBe(200);
    const newestLoaded = Math.max(...(loaded.json().messages as Message[]).map((m) => m.seq));
    expect(newestLoaded).toBe(1);
    await sendMessageViaApi(app, ticket, token, 'between the page load and the subscription');

    const { client, gate, cutAndHoldAway } = await gatedClient();
    const received: Message[] = [];
    client.subscribe(ticketChannel(ticket.id), { token, since: newestLoaded, onMessage: (m) => received.push(m) });
    await until(() => received.length === 1);
    expect(received.map((m) => m.body)).toEqual(['between the page load and the subscription']);

    await cutAndHoldAway();
    await sendMessageViaApi(app, ticket, token, 'while away 1');
    await sendMessageViaApi(app, ticket, token, 'while away 2');
    gate.open = true;
    await until(() => received.length === 3);
    await sendMessageViaApi(app, ticket, token, 'live again');
    await until(() => received.length === 4);
    expect(received.map((m) => m.seq)).toEqual([2, 3, 4, 5]);
    client.close();
  });

  it('a ticket with no message yet on the channel: since 0 resumes with everything, nothing lost or twice', async () => {
    const { ticket, token } = await createTicketViaApi(app);
    const { client, gate, cutAndHoldAway } = await gatedClient();
    const received: Message[] = [];
    const frames: ServerFrame[] = [];
    // No resume point: live from when the server takes the subscription (after the opening message).
    client.subscribe(ticketChannel(ticket.id), { token, onMessage: (m) => received.push(m), onFrame: (f) => frames.push(f) });
    await until(() => frames.some((f) => f.type === 'subscribed'));
    expect(received).toEqual([]);

    // The link drops before any message came on the channel, and the customer writes meanwhile.
    await cutAndHoldAway();
    await sendMessageViaApi(app, ticket, token, 'while away');
    gate.open = true;
    await until(() => received.some((m) => m.body === 'while away'));
    await sendMessageViaApi(app, ticket, token, 'live again');
    await until(() => received.some((m) => m.body === 'live again'));
    // The client cannot know where the server started it: it asks for everything, once each.
    expect(received.map((m) => m.seq)).toEqual([1, 2, 3]);
    client.close();
  });
});
