/**
 * A message the customer wrote that the server has not confirmed yet. `clientId` is given when it is
 * written and sent with every attempt: the server stores it once however often it is retried.
 */
export type QueuedMessage = {
  clientId: string;
  ticketId: string;
  body: string;
  /** When it was written (ms); with `order`, the sending order. */
  createdAt: number;
  order: number;
  /** `failed`: the server refused it (4xx); it is kept so the customer can retry or discard it. */
  status: 'pending' | 'failed';
  error?: string;
  attempts: number;
  /** Photos and files the message carries, uploaded (each once, by its clientId) before it is sent. */
  files?: QueuedFile[];
};

/** A file waiting in the outbox with its message (IndexedDB keeps the Blob across reloads). */
export type QueuedFile = { clientId: string; name: string; blob: Blob };

export const QUEUE_DB_NAME = 'tf-widget';

/** Where queued messages live. */
export interface MessageStore {
  list(ticketId: string): Promise<QueuedMessage[]>;
  put(message: QueuedMessage): Promise<void>;
  remove(clientId: string): Promise<void>;
}

/** The result of an IndexedDB request (listened to as events: a refused open may come as a bare error event). */
function result<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.addEventListener('success', () => resolve(request.result));
    request.addEventListener('error', () => reject(request.error));
  });
}

/**
 * Seed §5: the offline queue in IndexedDB (database `tf-widget`, store `outbox` keyed by clientId, index
 * `byTicket`), so a reload (or a crash) keeps what was written. The browser's API is used as it is
 * (a write resolves once its transaction has committed): the `idb` wrapper cost 1.3 KB of the budget.
 */
export class IdbMessageStore implements MessageStore {
  private db: Promise<IDBDatabase> | null = null;

  private async outbox(mode: IDBTransactionMode): Promise<IDBObjectStore> {
    if (!this.db) {
      const open = indexedDB.open(QUEUE_DB_NAME, 1);
      open.addEventListener('upgradeneeded', () => open.result.createObjectStore('outbox', { keyPath: 'clientId' }).createIndex('byTicket', 'ticketId'));
      this.db = result(open);
    }
    return (await this.db).transaction('outbox', mode).objectStore('outbox');
  }

  private async write(operation: (store: IDBObjectStore) => IDBRequest): Promise<void> {
    const store = await this.outbox('readwrite');
    operation(store);
    await new Promise((resolve, reject) => {
      store.transaction.addEventListener('complete', resolve);
      store.transaction.addEventListener('error', () => reject(store.transaction.error));
      store.transaction.addEventListener('abort', () => reject(store.transaction.error));
    });
  }

  async list(ticketId: string): Promise<QueuedMessage[]> {
    const all = await result<QueuedMessage[]>((await this.outbox('readonly')).index('byTicket').getAll(ticketId));
    return all.sort(byOrder);
  }

  put(message: QueuedMessage): Promise<void> {
    return this.write((store) => store.put(message));
  }

  remove(clientId: string): Promise<void> {
    return this.write((store) => store.delete(clientId));
  }
}

/** For browsers without IndexedDB (some private modes) and for stories: the queue lasts for the page only. */
export class MemoryMessageStore implements MessageStore {
  private readonly items = new Map<string, QueuedMessage>();
  async list(ticketId: string) {
    return [...this.items.values()].filter((m) => m.ticketId === ticketId).sort(byOrder);
  }
  async put(message: QueuedMessage) {
    this.items.set(message.clientId, { ...message });
  }
  async remove(clientId: string) {
    this.items.delete(clientId);
  }
}

export function byOrder(a: QueuedMessage, b: QueuedMessage): number {
  return a.createdAt - b.createdAt || a.order - b.order;
}

/**
 * IndexedDB while it works, else memory for the rest of the page. A browser may define `indexedDB` and
 * still refuse it: an iframe of another site with third-party storage blocked gets "The user denied
 * permission to access the database" on open, and a full disk fails a write. Without the fallback every
 * message after that stayed "waiting to be sent" (the outbox awaits the store before sending).
 */
export class FallbackMessageStore implements MessageStore {
  private readonly memory = new MemoryMessageStore();
  private failed = false;

  constructor(private readonly primary: MessageStore) {}

  /** Whether the store fell back to memory (nothing written now outlives the page). */
  get inMemory(): boolean {
    return this.failed;
  }

  list(ticketId: string) {
    return this.use((store) => store.list(ticketId));
  }
  put(message: QueuedMessage) {
    return this.use((store) => store.put(message));
  }
  remove(clientId: string) {
    return this.use((store) => store.remove(clientId));
  }

  private async use<T>(operation: (store: MessageStore) => Promise<T>): Promise<T> {
    if (!this.failed) {
      try {
        return await operation(this.primary);
      } catch {
        // The outbox still holds every queued message in memory: only the copy for a reload is lost.
        this.failed = true;
      }
    }
    return operation(this.memory);
  }
}

export function createMessageStore(): MessageStore {
  return typeof indexedDB === 'undefined' ? new MemoryMessageStore() : new FallbackMessageStore(new IdbMessageStore());
}
