import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { serializeError, type ThreadReply, type ThreadRequest } from './pglite-protocol.ts';

/**
 * The embedded database's own thread (started by pglite-worker.ts). PGlite runs PostgreSQL compiled to
 * WebAssembly synchronously on the thread that calls it: here, not on the server's event loop. The server
 * keeps answering HTTP and WebSocket traffic while a statement runs, and, at start, loads and builds the app
 * while this thread opens the data folder.
 */
const port = parentPort!;
const { dataDir } = workerData as { dataDir: string };

const send = (message: ThreadReply, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer ?? []);
const answer = (id: number, result?: unknown, transfer?: ArrayBuffer[]) => send({ type: 'reply', id, result }, transfer);
const fail = (id: number, err: unknown) => send({ type: 'reply', id, error: serializeError(err) });

// pg_trgm: migration 0008 creates the extension (ticket search indexes); PGlite must load its bundle first.
const opening = PGlite.create({ dataDir, extensions: { pg_trgm } });
opening.then(
  () => send({ type: 'ready' }),
  (err: unknown) => send({ type: 'ready', error: serializeError(err) }),
);

/** The open transactions: their PGlite handle, and how to end them. */
const transactions = new Map<number, { tx: Transaction; end: (commit: boolean, endId: number) => void }>();
const listeners = new Map<number, () => Promise<void>>();
/** Thrown into PGlite's transaction callback to make it roll back. */
const ROLLBACK = Symbol('rollback');

function queryable(pg: PGlite, txId: number | undefined): PGlite | Transaction {
  if (txId === undefined) return pg;
  const t = transactions.get(txId);
  if (!t) throw new Error(`transaction ${txId} is not open`);
  return t.tx;
}

function begin(pg: PGlite, id: number) {
  let endId: number | undefined;
  let inside = false;
  pg.transaction(
    (tx) =>
      new Promise<void>((resolve, reject) => {
        inside = true;
        transactions.set(id, {
          tx,
          end: (commit, requestId) => {
            endId = requestId;
            if (commit) resolve();
            else reject(ROLLBACK);
          },
        });
        answer(id, id);
      }),
  ).then(
    () => {
      transactions.delete(id);
      if (endId !== undefined) answer(endId);
    },
    (err: unknown) => {
      transactions.delete(id);
      if (!inside) fail(id, err);
      else if (endId !== undefined) {
        if (err === ROLLBACK) answer(endId);
        else fail(endId, err);
      }
    },
  );
}

async function dump(pg: PGlite, consistent: boolean): Promise<ArrayBuffer> {
  // Between two transactions (PGlite's mutex excludes every other statement meanwhile), after CHECKPOINT has
  // written every committed page to the files: the copy opens without replaying the log.
  const blob = consistent
    ? await pg.transaction(async (tx) => {
        await tx.exec('CHECKPOINT');
        return pg.dumpDataDir('gzip');
      })
    : await pg.dumpDataDir('gzip');
  return blob.arrayBuffer();
}

async function handle(m: ThreadRequest) {
  const pg = await opening;
  switch (m.op) {
    case 'query': {
      const r = await queryable(pg, m.txId).query(m.sql, m.params);
      return answer(m.id, { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length });
    }
    case 'exec':
      await queryable(pg, m.txId).exec(m.sql);
      return answer(m.id);
    case 'begin':
      return begin(pg, m.id);
    case 'end': {
      const t = transactions.get(m.txId);
      if (!t) throw new Error(`transaction ${m.txId} is not open`);
      return t.end(m.commit, m.id);
    }
    case 'listen': {
      const unlisten = await pg.listen(m.channel, (payload) => send({ type: 'notify', listenId: m.id, payload }));
      listeners.set(m.id, unlisten);
      return answer(m.id, m.id);
    }
    case 'unlisten':
      await listeners.get(m.listenId)?.();
      listeners.delete(m.listenId);
      return answer(m.id);
    case 'dump': {
      const bytes = await dump(pg, m.consistent);
      return answer(m.id, bytes, [bytes]);
    }
    case 'close':
      if (!pg.closed) await pg.close();
      answer(m.id);
      return port.close();
  }
}

port.on('message', (m: ThreadRequest) => {
  handle(m).catch((err: unknown) => fail(m.id, err));
});
