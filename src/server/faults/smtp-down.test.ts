import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpSink } from '../test/smtp-sink.ts';
import { createPgCluster, findPgBin, type PgCluster } from '../test/pg-cluster.ts';
import { freePort, startServerProcess, waitHealthy, type ServerProcess } from '../test/server-process.ts';
import { onPostgres } from '../test/test-db.ts';

// The real server process with SMTP_URL naming a port where nothing listens, from its start. Its own
// e-mail worker (not one driven by the test, as in email.test.ts) must keep every e-mail queued and
// back off on its own, then deliver once an SMTP server appears there, without a restart.
// Runs once, in the pglite project, on a PostgreSQL cluster of its own (see postgres-restart.test.ts).
const PG_BIN = findPgBin();

const CUSTOMERS = 6;
/** The first retry waits this long, doubling after each failure (EMAIL_RETRY_BASE_SECONDS). */
const RETRY_BASE_SECONDS = 2;
/** Failed attempts each e-mail must show before SMTP comes up: the backoff seen growing, not once. */
const ATTEMPTS_SEEN = 2;
const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };
/** /metrics is read on the application port with this token (never public: docs/operations.md). */
const METRICS_TOKEN = 'smtp-down-test-metrics-token';

type QueueRow = {
  id: string;
  request_id: string;
  email_type: string;
  status: string;
  retry_count: number;
  last_error: string | null;
  last_attempt_at: Date | null;
  next_retry_at: Date;
  locked_by: string | null;
};

let cluster: PgCluster;
let server: ServerProcess;
let db: pg.Client;
let smtpPort: number;
let sink: SmtpSink | null = null;

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

async function queue(): Promise<QueueRow[]> {
  const { rows } = await db.query<QueueRow>(
    `SELECT id, request_id, email_type, status, retry_count, last_error, last_attempt_at, next_retry_at, locked_by
       FROM email_queue ORDER BY created_at`,
  );
  return rows;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached; server output:\n${server.output()}`);
    await delay(200);
  }
}

function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`${name} missing from /metrics`);
  return Number(line.slice(name.length + 1));
}

describe.skipIf(onPostgres || !PG_BIN)('SMTP down for the whole test', () => {
  beforeAll(async () => {
    cluster = await createPgCluster({ bin: PG_BIN! });
    db = new pg.Client({ connectionString: cluster.url });
    await db.connect();
    // A port the kernel just handed out and nobody listens on: connections to it are refused.
    smtpPort = await freePort();
    server = await startServerProcess({
      DATABASE_URL: cluster.url,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      EMAIL_RETRY_BASE_SECONDS: String(RETRY_BASE_SECONDS),
      RATE_LIMIT: 'off',
      METRICS_TOKEN,
    });
    await waitHealthy(server);
  });
  afterAll(async () => {
    await server?.stop();
    await sink?.close();
    await db?.end();
    await cluster?.destroy();
  });

  it('keeps tickets and replies working, queues every e-mail with a doubling backoff, shows it in /metrics, and delivers each once SMTP appears', async ({ annotate }) => {
    // Customers open tickets and write; an agent replies to each: every call succeeds though no mail leaves.
    const tickets: { id: string; email: string; token: string }[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const email = `smtp-down-${i}-${randomUUID()}@example.com`;
      const opened = await api('POST', '/api/tickets', { email, message: `Où est ma commande ${i} ?`, lang: 'fr' });
      expect(opened.status).toBe(201);
      const { ticket, token } = opened.json as { ticket: { id: string }; token: string };
      tickets.push({ id: ticket.id, email, token });
      const sent = await api('POST', `/api/tickets/${ticket.id}/messages`, { body: 'Toujours rien…', clientId: randomUUID() }, { authorization: `Bearer ${token}` });
      expect(sent.status).toBe(201);
    }
    const login = await api('POST', '/api/auth/login', ADMIN);
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    for (const t of tickets) {
      const reply = await api('POST', `/api/agent/tickets/${t.id}/messages`, { body: 'Elle arrive dans 10 minutes.' }, { cookie });
      expect(reply.status).toBe(201);
    }
    const expected = tickets.flatMap((t) => [`${t.id} created`, `${t.id} agent_reply`]).sort();

    // The worker keeps trying on its own: every e-mail fails again and again, and stays pending.
    await until(`every e-mail failed ${ATTEMPTS_SEEN} times`, async () => (await queue()).every((r) => r.retry_count >= ATTEMPTS_SEEN));
    // The API still answers while the worker fails in the background.
    const later = await api('POST', `/api/agent/tickets/${tickets[0]!.id}/messages`, { body: 'Et un bon de réduction.' }, { cookie });
    expect(later.status).toBe(201);
    expected.push(`${tickets[0]!.id} agent_reply`);
    expected.sort();

    const rows = await queue();
    expect(rows.map((r) => `${r.request_id} ${r.email_type}`).sort()).toEqual(expected);
    for (const r of rows) {
      expect(r.status).toBe('pending');
      if (r.retry_count === 0) continue; // the last reply, queued a moment ago
      expect(r.last_error).toMatch(/ECONNREFUSED|ECONNECTION/);
      // Retry n waits base × 2^(n-1) after the failed attempt: 2 s, 4 s, 8 s…
      if (r.locked_by === null) {
        expect(r.next_retry_at.getTime() - r.last_attempt_at!.getTime()).toBe(RETRY_BASE_SECONDS * 1000 * 2 ** (r.retry_count - 1));
      }
    }

    const scrape = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    expect(metric(text, 'tf_email_queue_emails{status="pending"}')).toBe(expected.length);
    expect(metric(text, 'tf_email_queue_emails{status="sent"}')).toBe(0);
    expect(metric(text, 'tf_email_queue_emails{status="failed"}')).toBe(0);
    expect(metric(text, 'tf_email_queue_retrying')).toBeGreaterThanOrEqual(expected.length - 1);
    expect(metric(text, 'tf_email_queue_oldest_pending_seconds')).toBeGreaterThan(0);

    // An SMTP server appears on that port: the same process delivers everything, each e-mail once.
    const waiting = await queue();
    const { rows: clock } = await db.query<{ now: Date }>('SELECT now() AS now');
    const longestWait = Math.max(...waiting.map((r) => r.next_retry_at.getTime() - clock[0]!.now.getTime()));
    sink = await SmtpSink.start({ port: smtpPort });
    const smtpUp = Date.now();
    await until('every e-mail sent', async () => (await queue()).every((r) => r.status === 'sent'));
    const sent = await queue();
    const allSent = Date.now();
    await sink.waitFor(sent.length);
    expect(sink.total()).toBe(sent.length);
    expect([...sink.counts.keys()].sort()).toEqual(sent.map((r) => `<${r.id}@localhost>`).sort());
    for (const t of tickets) {
      const toCustomer = sink.mails.filter((m) => m.to.includes(t.email));
      expect(toCustomer).toHaveLength(t === tickets[0] ? 3 : 2);
    }
    expect(sent.filter((r) => r.retry_count >= ATTEMPTS_SEEN).length).toBeGreaterThanOrEqual(expected.length - 1);
    expect(server.child.exitCode).toBeNull();

    // Figures for docs/faults.md (not assertions).
    const attempts = waiting.map((r) => r.retry_count);
    await annotate(
      [
        `${expected.length} e-mails, failed attempts when SMTP came up ${Math.min(...attempts)}..${Math.max(...attempts)}, base ${RETRY_BASE_SECONDS} s`,
        `all sent ${allSent - smtpUp} ms after SMTP came up; the longest scheduled wait then was ${longestWait} ms`,
      ].join('\n'),
    );
  }, 240_000);
});
