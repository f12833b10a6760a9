import type { Message } from '../../../../../contracts/tickets.ts';
import { ApiError, backoffDelay, isRetryableError } from '../../../../lib/api-client.ts';
import { byOrder, type MessageStore, type QueuedMessage } from './offline-queue.ts';

export type OutboxOptions = {
  store: MessageStore;
  ticketId: string;
  /** Sends one message (the API call, which itself retries a few times). */
  send: (message: QueuedMessage) => Promise<Message>;
  /** The server stored it: show the stored message (it replaces the pending one by clientId). */
  onSent: (message: Message) => void;
  isOnline?: () => boolean;
  newId?: () => string;
};

/**
 * The conversation's outbox (offline queue, docs/widget.md): every message is first written to the store
 * (IndexedDB), then sent strictly in the order it was written, one at a time. Network errors and 5xx
 * leave it queued and the outbox tries again later (backoff, and at once when the browser is back
 * online); a 4xx marks it failed (never retried by itself: the answer would be the same) and sending
 * goes on with the next ones. The server's clientId idempotency makes a repeated send harmless.
 */
export class Outbox {
  private items: QueuedMessage[] = [];
  private readonly listeners = new Set<(items: QueuedMessage[]) => void>();
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private order = 0;
  private closed = false;
  private readonly onlineListener = () => void this.flush();

  constructor(private readonly options: OutboxOptions) {
    if (typeof window !== 'undefined') window.addEventListener('online', this.onlineListener);
  }

  /** Loads what an earlier page left in the store, then sends it. */
  async load(): Promise<void> {
    this.items = await this.options.store.list(this.options.ticketId);
    this.order = this.items.reduce((max, m) => Math.max(max, m.order), 0);
    this.emit();
    await this.flush();
  }

  snapshot(): QueuedMessage[] {
    return this.items;
  }

  subscribe(listener: (items: QueuedMessage[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Queues a message the customer just wrote and starts sending. */
  async enqueue(body: string, files: readonly File[] = []): Promise<QueuedMessage> {
    const newId = this.options.newId ?? (() => crypto.randomUUID());
    const message: QueuedMessage = {
      ...(files.length ? { files: files.map((blob) => ({ clientId: newId(), name: blob.name, blob })) } : {}),
      clientId: newId(),
      ticketId: this.options.ticketId,
      body,
      createdAt: Date.now(),
      order: ++this.order,
      status: 'pending',
      attempts: 0,
    };
    this.items = [...this.items, message].sort(byOrder);
    this.emit();
    await this.options.store.put(message);
    void this.flush();
    return message;
  }

  /** Sends a failed message again (the customer asked to). */
  async retry(clientId: string): Promise<void> {
    await this.update(clientId, { status: 'pending', error: undefined });
    await this.flush();
  }

  async discard(clientId: string): Promise<void> {
    this.items = this.items.filter((m) => m.clientId !== clientId);
    this.emit();
    await this.options.store.remove(clientId);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (typeof window !== 'undefined') window.removeEventListener('online', this.onlineListener);
    this.listeners.clear();
  }

  /** Sends every pending message in order; concurrent calls share one run. */
  flush(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.run().finally(() => {
      this.running = null;
      if (this.again && !this.closed) {
        this.again = false;
        void this.flush();
      }
    });
    return this.running;
  }

  private async run(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const online = this.options.isOnline ?? (() => (typeof navigator === 'undefined' ? true : navigator.onLine));
    for (;;) {
      if (this.closed) return;
      const next = this.items.find((m) => m.status === 'pending');
      if (!next) return;
      if (!online()) return; // the 'online' event resumes
      try {
        await this.update(next.clientId, { attempts: next.attempts + 1 });
        const stored = await this.options.send(next);
        this.failures = 0;
        this.items = this.items.filter((m) => m.clientId !== next.clientId);
        this.options.onSent(stored);
        this.emit();
        await this.options.store.remove(next.clientId);
      } catch (error) {
        if (isRetryableError(error)) {
          // Keep the order: nothing after it is sent before it. Try again later.
          this.failures += 1;
          if (!this.closed) this.timer = setTimeout(() => void this.flush(), backoffDelay(this.failures, 1000, 30_000));
          return;
        }
        await this.update(next.clientId, {
          status: 'failed',
          error: error instanceof ApiError ? error.message : String(error),
        });
      }
    }
  }

  private async update(clientId: string, patch: Partial<QueuedMessage>): Promise<void> {
    let changed: QueuedMessage | undefined;
    this.items = this.items.map((m) => (m.clientId === clientId ? (changed = { ...m, ...patch }) : m));
    this.emit();
    if (changed) await this.options.store.put(changed);
  }

  private emit() {
    for (const l of this.listeners) l(this.items);
  }
}
