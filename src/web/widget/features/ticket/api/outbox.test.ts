import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '../../../../../contracts/tickets.ts';
import { ApiError } from '../../../../lib/api-client.ts';
import { denyIndexedDb } from '../../../test/indexed-db.ts';
import { createMessageStore, MemoryMessageStore, type QueuedMessage } from './offline-queue.ts';
import { Outbox } from './outbox.ts';
import { displayMessages } from './use-conversation.ts';

const stored = (q: QueuedMessage, seq: number): Message => ({
  id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
  request_id: q.ticketId,
  author_type: 'user',
  body: q.body,
  client_id: q.clientId,
  seq,
  created_at: new Date().toISOString(),
});

function setup(options: { online?: () => boolean; send?: (q: QueuedMessage) => Promise<Message> } = {}) {
  const store = new MemoryMessageStore();
  const sent: Message[] = [];
  const attempts: string[] = [];
  let seq = 0;
  let n = 0;
  const outbox = new Outbox({
    store,
    ticketId: 't1',
    isOnline: options.online ?? (() => true),
    newId: () => `client-${++n}`,
    send: async (q) => {
      attempts.push(q.body);
      return options.send ? options.send(q) : stored(q, ++seq);
    },
    onSent: (m) => sent.push(m),
  });
  return { store, outbox, sent, attempts };
}

describe('Outbox', () => {
  it('sends messages in the order they were written, each once', async () => {
    const { outbox, sent } = setup();
    await outbox.enqueue('one');
    await outbox.enqueue('two');
    await outbox.enqueue('three');
    await outbox.flush();
    expect(sent.map((m) => m.body)).toEqual(['one', 'two', 'three']);
    expect(outbox.snapshot()).toEqual([]);
  });

  it('keeps messages queued while offline and in the store for the next page', async () => {
    let online = false;
    const { outbox, store, sent } = setup({ online: () => online });
    await outbox.enqueue('a');
    await outbox.enqueue('b');
    expect(sent).toEqual([]);
    expect((await store.list('t1')).map((m) => m.body)).toEqual(['a', 'b']);

    // A new page (reload) finds the queue and sends it once online.
    online = true;
    const next = new Outbox({ store, ticketId: 't1', isOnline: () => online, send: async (q) => stored(q, q.order), onSent: (m) => sent.push(m) });
    await next.load();
    await next.flush();
    expect(sent.map((m) => m.body)).toEqual(['a', 'b']);
    expect(await store.list('t1')).toEqual([]);
    outbox.close();
    next.close();
  });

  it('stops at a network error without sending later messages first, and retries with the same clientId', async () => {
    let fail = true;
    const seen: string[] = [];
    const { outbox, sent } = setup({
      send: async (q) => {
        seen.push(q.clientId);
        if (fail) throw new ApiError({ status: 0, code: 'network', message: 'down' });
        return stored(q, seen.length);
      },
    });
    await outbox.enqueue('first');
    await outbox.enqueue('second');
    await outbox.flush();
    expect(sent).toEqual([]);
    expect(new Set(seen)).toEqual(new Set(['client-1'])); // 'second' never overtook 'first'
    fail = false;
    await vi.waitFor(async () => {
      await outbox.flush();
      expect(sent.map((m) => m.body)).toEqual(['first', 'second']);
    });
    expect(seen.filter((id) => id === 'client-1').length).toBeGreaterThanOrEqual(2);
    outbox.close();
  });

  it('marks a message refused with a 4xx as failed, never retries it by itself, and goes on with the next', async () => {
    const { outbox, sent, attempts } = setup({
      send: async (q) => {
        if (q.body === 'refused') throw new ApiError({ status: 429, code: 'rate_limited', message: 'Too many messages' });
        return stored(q, q.order);
      },
    });
    await outbox.enqueue('refused');
    await outbox.enqueue('fine');
    await outbox.flush();
    await outbox.flush();
    expect(sent.map((m) => m.body)).toEqual(['fine']);
    expect(attempts.filter((b) => b === 'refused')).toHaveLength(1);
    expect(outbox.snapshot()).toMatchObject([{ body: 'refused', status: 'failed', error: 'Too many messages' }]);
    outbox.close();
  });
});

describe('the message store', () => {
  afterEach(() => void vi.unstubAllGlobals());

  it('falls back to memory when the browser has IndexedDB but refuses to open it, so every message is sent', async () => {
    denyIndexedDb();
    const sent: Message[] = [];
    const outbox = new Outbox({ store: createMessageStore(), ticketId: 't1', isOnline: () => true, send: async (q) => stored(q, q.order), onSent: (m) => sent.push(m) });
    await outbox.load();
    for (const body of ['one', 'two', 'three']) await outbox.enqueue(body);
    await vi.waitFor(() => expect(sent.map((m) => m.body)).toEqual(['one', 'two', 'three']));
    expect(outbox.snapshot()).toEqual([]);
    outbox.close();
  });
});

describe('displayMessages', () => {
  const q = (clientId: string, body: string, order: number): QueuedMessage => ({ clientId, ticketId: 't1', body, createdAt: 1, order, status: 'pending', attempts: 0 });

  it('shows a message once when it is both stored and still queued (same clientId)', () => {
    const pending = q('c1', 'hello', 1);
    const page = { messages: [stored(pending, 2)], hasMore: false, nextCursor: null };
    const shown = displayMessages([page], [pending]);
    expect(shown.map((m) => [m.body, m.state])).toEqual([['hello', 'sent']]);
  });

  it('orders stored messages by seq across overlapping pages, then the pending ones', () => {
    const a = stored(q('a', 'a', 1), 1);
    const b = stored(q('b', 'b', 2), 2);
    const c = stored(q('c', 'c', 3), 3);
    const shown = displayMessages(
      [
        { messages: [b, c], hasMore: true, nextCursor: 'x' },
        { messages: [a, b], hasMore: false, nextCursor: null },
      ],
      [q('d', 'd', 4)],
    );
    expect(shown.map((m) => m.body)).toEqual(['a', 'b', 'c', 'd']);
    expect(shown.at(-1)?.state).toBe('pending');
  });
});
