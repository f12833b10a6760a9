import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ticketChannel } from '../../contracts/realtime.ts';
import type { Message } from '../../contracts/tickets.ts';
import { createTicketViaApi, sendMessageViaApi } from '../../server/test/factories.ts';
import { useTestApp } from '../../server/test/test-app.ts';
import { realtimeUrl } from '../../server/modules/realtime/test-socket.ts';
import { createRealtimeClient, type RealtimeState } from './realtime-client.ts';

const ctx = useTestApp();
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
      onStateChange: (s) => states.push(s),
      reconnectBaseMs: 50,
    });
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
