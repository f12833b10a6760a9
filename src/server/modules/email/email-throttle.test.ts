import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTicketViaApi } from '../../test/factories.ts';
import { useTestApp } from '../../test/test-app.ts';
import { serverBusySignal, type BusySignal } from './email-throttle.ts';
import { SmtpTransport, type MailTransport, type OutgoingMail } from './email-transport.ts';
import { EmailWorker } from './email-worker.ts';
import { SmtpSink } from '../../test/smtp-sink.ts';
import { watchDb } from '../../test/watch-db.ts';
import type { Db } from '../../db/index.ts';

// The in-process worker yields to the API: behaviour only (how much it takes on at once), no timing.
const ctx = useTestApp();
let sink: SmtpSink;

beforeAll(async () => {
  sink = await SmtpSink.start({ parse: false });
});
afterAll(async () => {
  await sink?.close();
});

/** The real SMTP transport, watched: how many sends were in flight at once. */
class WatchedTransport implements MailTransport {
  readonly name = 'smtp';
  inFlight = 0;
  maxInFlight = 0;
  sends = 0;
  private readonly inner = new SmtpTransport(sink.url);
  async send(mail: OutgoingMail) {
    this.inFlight += 1;
    this.sends += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      return await this.inner.send(mail);
    } finally {
      this.inFlight -= 1;
    }
  }
  close() {
    return this.inner.close();
  }
}

/**
 * A ticket with `extra` more e-mails owed (plus its own `created` one), each to another address: one
 * address's e-mails go one after the other (see "e-mail order"), and these tests count sends side by side.
 */
async function ticketWithQueue(extra: number): Promise<string> {
  const { ticket } = await createTicketViaApi(ctx.app);
  await ctx.testDb.db.query(
    `INSERT INTO email_queue (request_id, email_type, recipient_email, lang)
     SELECT $1, 'created', 'copy' || g || '.' || $2, 'en' FROM generate_series(1, $3::int) g`,
    [ticket.id, ticket.email, extra],
  );
  return ticket.id;
}

async function statuses(ticketId: string): Promise<Record<string, number>> {
  const { rows } = await ctx.testDb.db.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM email_queue WHERE request_id = $1 GROUP BY status',
    [ticketId],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

function worker(transport: MailTransport, signal?: BusySignal, db: Db = ctx.testDb.db): EmailWorker {
  return new EmailWorker({
    db,
    transport,
    logger: pino({ level: 'silent' }),
    publicUrl: ctx.app.config.publicUrl,
    from: ctx.app.config.emailFrom,
    retryBaseSeconds: 60,
    leaseSeconds: 60,
    batchSize: 5,
    concurrency: 10,
    ...(signal ? { throttle: { signal, busyPauseMs: 1 } } : {}),
  });
}

describe('e-mail worker throttle', () => {
  it('claims full batches on parallel lanes when the signal is quiet', async () => {
    const ticketId = await ticketWithQueue(19);
    const transport = new WatchedTransport();
    try {
      const w = worker(transport, { busy: () => false });
      expect(await w.drain()).toBe(20);
      // A whole batch of 5 is sent side by side (the lanes may overlap further).
      expect(transport.maxInFlight).toBeGreaterThanOrEqual(5);
      expect(await statuses(ticketId)).toEqual({ sent: 20 });
      expect(w.counters).toEqual({ sent: 20, retried: 0, failed: 0, bounced: 0, leaseLost: 0 });
    } finally {
      await transport.close();
    }
  });

  it('sends one e-mail at a time while the signal is busy, and still drains the whole queue', async () => {
    const ticketId = await ticketWithQueue(19);
    const transport = new WatchedTransport();
    let asked = 0;
    try {
      const w = worker(transport, {
        busy: () => {
          asked += 1;
          return true; // busy for good: the floor pace must still empty the queue
        },
      });
      const before = sink.total();
      expect(await w.drain()).toBe(20);
      expect(transport.maxInFlight).toBe(1);
      expect(asked).toBeGreaterThanOrEqual(20);
      expect(await statuses(ticketId)).toEqual({ sent: 20 });
      expect(sink.total() - before).toBe(20);
      expect(w.counters).toEqual({ sent: 20, retried: 0, failed: 0, bounced: 0, leaseLost: 0 });
    } finally {
      await transport.close();
    }
  });

  it('goes back to full batches once the signal turns quiet', async () => {
    const ticketId = await ticketWithQueue(29);
    const transport = new WatchedTransport();
    try {
      // Busy for the first 3 e-mails sent, quiet afterwards.
      const w = worker(transport, { busy: () => transport.sends < 3 });
      expect(await w.drain()).toBe(30);
      expect(transport.maxInFlight).toBeGreaterThanOrEqual(5);
      expect(await statuses(ticketId)).toEqual({ sent: 30 });
    } finally {
      await transport.close();
    }
  });

  it('runs at full speed without a throttle (npm run worker)', async () => {
    const ticketId = await ticketWithQueue(9);
    const transport = new WatchedTransport();
    try {
      expect(await worker(transport).drain()).toBe(10);
      expect(transport.maxInFlight).toBeGreaterThanOrEqual(5);
      expect(await statuses(ticketId)).toEqual({ sent: 10 });
    } finally {
      await transport.close();
    }
  });
});

describe('serverBusySignal', () => {
  let server: Server;
  let release: () => void = () => {};
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('is busy while a request is in flight and quiet once it is answered', async () => {
    server = createServer((_req, res) => {
      release = () => res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const signal = serverBusySignal(server, { quietMs: 0, maxLoopDelayMs: 60_000 });
    try {
      expect(signal.busy()).toBe(false);
      const answered = new Promise<void>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: '/' }, (res) => {
          res.resume();
          res.on('end', () => resolve());
        });
        req.on('error', reject);
        req.end();
      });
      while (signal.busy() === false) await new Promise((r) => setImmediate(r)); // the request arrives
      expect(signal.busy()).toBe(true);
      release();
      await answered;
      expect(signal.busy()).toBe(false);
    } finally {
      signal.close();
    }
  });
});

describe('e-mail order', () => {
  it('sends one address its e-mails one after the other, in queue order, and other addresses side by side', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    // Queued after the ticket's confirmation, to the same customer (the case of an address does not make it
    // another), and one to someone else.
    const queue = (to: string) =>
      ctx.testDb.db
        .query<{ id: string }>(`INSERT INTO email_queue (request_id, email_type, recipient_email, lang) VALUES ($1, 'created', $2, 'en') RETURNING id`, [ticket.id, to])
        .then((r) => r.rows[0]!.id);
    const { rows } = await ctx.testDb.db.query<{ id: string }>(`SELECT id FROM email_queue WHERE request_id = $1 AND status = 'pending'`, [ticket.id]);
    const confirmation = rows[0]!.id;
    const second = await queue(ticket.email.toUpperCase());
    const other = await queue(`other.${ticket.email}`);

    // The confirmation's send is slow: sent side by side, the second e-mail would arrive before it.
    class SlowFirst extends WatchedTransport {
      readonly done: string[] = [];
      override async send(mail: OutgoingMail) {
        if (mail.emailId === confirmation) await new Promise((r) => setTimeout(r, 300));
        const result = await super.send(mail);
        this.done.push(mail.emailId);
        return result;
      }
    }
    const transport = new SlowFirst();
    try {
      expect(await worker(transport).drain()).toBe(3);
      expect(transport.done.filter((id) => id !== other)).toEqual([confirmation, second]);
      // Someone else's e-mail did not wait for the slow one.
      expect(transport.done.indexOf(other)).toBeLessThan(transport.done.indexOf(confirmation));
      expect(await statuses(ticket.id)).toEqual({ sent: 3 });
    } finally {
      await transport.close();
    }
  });

  it('claims a queue shorter than a batch once: a second lane never splits it', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    await ctx.testDb.db.query(`INSERT INTO email_queue (request_id, email_type, recipient_email, lang) VALUES ($1, 'created', $2, 'en')`, [ticket.id, ticket.email]);
    const transport = new WatchedTransport();
    const watched = watchDb(ctx.testDb.db);
    try {
      // Two lanes (concurrency 10, batches of 5): the second claims only after a full first batch.
      expect(await worker(transport, undefined, watched.db).drain()).toBe(2);
      expect(watched.transactions()).toBe(1);
      expect(await statuses(ticket.id)).toEqual({ sent: 2 });
    } finally {
      await transport.close();
    }
  });
});
