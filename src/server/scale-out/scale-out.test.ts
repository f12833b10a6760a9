import { randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { REALTIME_PATH, ticketChannel } from '../../contracts/realtime-constants.ts';
import type { Message, Ticket } from '../../contracts/tickets.ts';
import { createRealtimeClient, type RealtimeClient, type RealtimeState } from '../../web/lib/realtime-client.ts';
import { ROUTE_LIMITS_PER_MINUTE } from '../http/security.ts';
import { freePort, startServerProcess, urlWithSchema, waitHealthy, type ServerProcess } from '../test/server-process.ts';
import { createSchema, onPostgres } from '../test/test-db.ts';
import { readFile } from 'node:fs/promises';
import { DEPLOY_NGINX_CONF, NGINX_BIN, deploySiteConf, hasNginx, startNginx, type NginxProcess } from './nginx-process.ts';

// Three real server processes (src/server/main.ts, as `npm start` runs them) on one PostgreSQL schema and
// one Redis, behind Debian's nginx running the committed deploy/nginx.conf. Only on the postgres project:
// PGlite is one process's database.
if (onPostgres && !hasNginx) {
  process.stderr.write(`\n[scale-out] ${NGINX_BIN} not found: the scale-out test is skipped. apt-get install nginx to run it.\n\n`);
}

const INSTANCES = 3;
// CI exports REDIS_URL_TEST (.ci/run starts Redis); the same default on a developer's machine.
const REDIS_URL = process.env.REDIS_URL_TEST ?? 'redis://127.0.0.1:6379';
const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };
/** /metrics is read on each instance's port with this token (never public: docs/operations.md). */
const METRICS_TOKEN = 'scale-out-test-metrics-token';

// Clients connect to nginx from loopback addresses of their own (all of 127.0.0.0/8 is local on Linux):
// nginx appends that address to X-Forwarded-For, and it is the key of the per-IP limits in Redis, so
// this run's counters never meet another run's (nothing in Redis is flushed), and the address nginx saw
// is told apart from 127.0.0.1, the proxy's own, which is the only one the instances trust (TRUST_PROXY).
const [a, b] = randomBytes(2);
const NET = `127.${20 + (a! % 200)}.${b}`;
const CUSTOMER_IP = `${NET}.10`;
const OTHER_IP = `${NET}.11`;
const AGENT_IP = `${NET}.12`;
// The test's own reads of what is stored (polled while waiting): kept off the customer's budget.
const OBSERVER_IP = `${NET}.13`;
// Opens as many WebSockets as nginx lets one address hold (issue 13: one address took a server down).
const SOCKET_FLOOD_IP = `${NET}.14`;

let schema: string;
let dropSchema: (() => Promise<void>) | undefined;
let servers: ServerProcess[] = [];
let nginx: NginxProcess;
let publicUrl: string;
let redis: Redis;
const clients: RealtimeClient[] = [];

type Res = { status: number; headers: IncomingHttpHeaders; body: any };

/** One HTTP request from a chosen local address (a new connection each time, as different visitors make). */
function call(
  base: string,
  method: string,
  path: string,
  options: { from?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Res> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}${path}`,
      {
        method,
        agent: false,
        localAddress: options.from,
        headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...options.headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          let body: unknown = text;
          if (String(res.headers['content-type']).includes('json')) body = JSON.parse(text);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const viaNginx = (method: string, path: string, options?: Parameters<typeof call>[3]) => call(nginx.url, method, path, options);

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000, everyMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const isAlive = (s: ServerProcess) => s.child.exitCode === null && s.child.signalCode === null;

/** Prometheus text → the sum of the samples of `name` whose labels include `labels`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

/** Each live instance's /metrics, scraped on its own port (nginx does not expose /metrics). */
async function scrape(): Promise<Map<ServerProcess, string>> {
  const live = servers.filter(isAlive);
  const texts = await Promise.all(live.map(async (s) => (await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text()));
  return new Map(live.map((s, i) => [s, texts[i]!]));
}

/** How many requests of a route each instance answered (by status), from two scrapes. */
function served(before: Map<ServerProcess, string>, after: Map<ServerProcess, string>, labels: Record<string, string>): number[] {
  return [...after.keys()].map(
    (s) => sample(after.get(s)!, 'tf_http_request_duration_seconds_count', labels) - sample(before.get(s) ?? '', 'tf_http_request_duration_seconds_count', labels),
  );
}

/** The live instances that hold at least one WebSocket right now. */
async function socketHolders(): Promise<ServerProcess[]> {
  const texts = await scrape();
  return [...texts].filter(([, t]) => sample(t, 'tf_websocket_connections') > 0).map(([s]) => s);
}

/**
 * The browser's realtime client (src/web/lib/realtime-client.ts) on Node's `ws`, connecting from
 * `address` with the page's Origin. While `gate.open` is false its (re)connections go to a port where
 * nothing listens and fail like a network blip: the test holds the client away until messages were
 * written, so its resume with `since` is exercised for certain, not by luck of timing.
 */
function realtimeFrom(address: string, gate: { open: boolean }, deadUrl: string): typeof globalThis.WebSocket {
  const origin = publicUrl;
  class FromAddress extends WebSocket {
    constructor(url: string) {
      super(gate.open ? url : deadUrl, { localAddress: address, origin });
    }
  }
  return FromAddress as unknown as typeof globalThis.WebSocket;
}

async function openTicket(from: string): Promise<{ ticket: Ticket; token: string }> {
  const res = await viaNginx('POST', '/api/tickets', {
    from,
    body: { email: `scale.${randomUUID().slice(0, 8)}@example.com`, message: 'My order did not arrive', lang: 'en' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function storedMessages(ticketId: string, token: string): Promise<Message[]> {
  const res = await viaNginx('GET', `/api/tickets/${ticketId}/messages?limit=100`, { from: OBSERVER_IP, headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(res.body.hasMore).toBe(false);
  return res.body.messages;
}

async function agentLogin(): Promise<string> {
  const res = await viaNginx('POST', '/api/auth/login', { from: AGENT_IP, body: ADMIN, headers: { origin: publicUrl } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const cookie = String(res.headers['set-cookie']).split(';')[0]!;
  expect(cookie).toMatch(/^tf_session=/);
  return cookie;
}

/** What the talkers saw; `cut` lists each answer that was not a success (status and error code), for the log. */
type Talk = { customerClientIds: string[]; customerResends: number; agentReplies: string[]; agentFailures: number; cut: string[] };

/**
 * A conversation that keeps going through nginx: with `agent`, the customer and the agent take turns;
 * without, the customer alone sends back to back. A customer's message carries a clientId, so a send cut
 * by a dying instance is sent again, as the widget does. An agent reply has none: one cut that way is
 * counted, not resent (it may or may not have been stored).
 */
async function keepTalking(
  talk: Talk,
  ticketId: string,
  token: string,
  cookie: string,
  options: { turns: number; agent: boolean; pauseMs: number },
): Promise<void> {
  for (let i = 0; i < options.turns; i++) {
    if (!options.agent || i % 2 === 0) {
      const clientId = randomUUID();
      talk.customerClientIds.push(clientId);
      for (let attempt = 0; ; attempt++) {
        const res = await viaNginx('POST', `/api/tickets/${ticketId}/messages`, {
          from: CUSTOMER_IP,
          body: { body: `customer ${i}`, clientId },
          headers: { authorization: `Bearer ${token}` },
        }).catch((err: Error) => ({ status: 0, body: err.message }) as Res);
        if (res.status === 201 || res.status === 200) break;
        if (attempt >= 40 || (res.status >= 400 && res.status < 500)) throw new Error(`customer send: ${res.status} ${JSON.stringify(res.body)}`);
        talk.customerResends += 1;
        talk.cut.push(`customer ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } else {
      const res = await viaNginx('POST', `/api/agent/tickets/${ticketId}/messages`, {
        from: AGENT_IP,
        body: { body: `agent ${i}` },
        headers: { cookie, origin: publicUrl },
      }).catch(() => ({ status: 0, body: null }) as Res);
      if (res.status === 201) talk.agentReplies.push(res.body.message.id);
      else if (res.status >= 500 || res.status === 0) {
        talk.agentFailures += 1;
        talk.cut.push(`agent ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
      }
      else throw new Error(`agent reply: ${res.status} ${JSON.stringify(res.body)}`);
    }
    if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
  }
}

/** The kill scenario shared by SIGKILL and SIGTERM; returns what the client saw. */
async function killHolderWhileTalking(kill: (holder: ServerProcess) => Promise<void>) {
  const { ticket, token } = await openTicket(CUSTOMER_IP);
  const cookie = await agentLogin();
  const channel = ticketChannel(ticket.id);
  const gate = { open: true };
  const deadUrl = `ws://127.0.0.1:${await freePort()}${REALTIME_PATH}`;
  const received: Message[] = [];
  const states: Array<{ state: RealtimeState; code?: number }> = [];
  const client = createRealtimeClient({
    url: `${nginx.url.replace('http', 'ws')}${REALTIME_PATH}`,
    WebSocketImpl: realtimeFrom(CUSTOMER_IP, gate, deadUrl),
    reconnectBaseMs: 50,
    reconnectMaxMs: 300,
  });
  client.onState((state, code) => states.push({ state, code }));
  clients.push(client);
  client.subscribe(channel, { token, since: 0, onMessage: (m) => received.push(m) });
  await until('the opening message over the WebSocket', () => received.length === 1);

  let holders: ServerProcess[] = [];
  await until('one instance holding the WebSocket', async () => (holders = await socketHolders()).length === 1);
  const holder = holders[0]!;

  // Two at once: a conversation, and the customer sending back to back, so the kill also lands on
  // requests in flight (the ticket allows 100 messages an hour: 40 turns + 24 sends stay under it).
  const talk: Talk = { customerClientIds: [], customerResends: 0, agentReplies: [], agentFailures: 0, cut: [] };
  const talking = Promise.all([
    keepTalking(talk, ticket.id, token, cookie, { turns: 40, agent: true, pauseMs: 30 }),
    keepTalking(talk, ticket.id, token, cookie, { turns: 24, agent: false, pauseMs: 0 }),
  ]);
  await until('a few messages before the kill', () => received.length >= 6);

  gate.open = false;
  const statesBefore = states.length;
  await kill(holder);
  await until('the client to notice', () => states.slice(statesBefore).some((s) => s.state === 'reconnecting'));
  const lastSeen = received.at(-1)!.seq;
  // Messages go on being stored while the client is away; it must get them from its resume point.
  // Polled through nginx, so gently: well under the per-IP limit however long it takes.
  await until('messages stored while the client is away', async () => (await storedMessages(ticket.id, token)).at(-1)!.seq >= lastSeen + 3, 60_000, 200);
  const missedWhileAway = (await storedMessages(ticket.id, token)).filter((m) => m.seq > lastSeen).length;
  gate.open = true;

  await talking;
  const stored = await storedMessages(ticket.id, token);
  await until('every stored message over the WebSocket', () => received.length >= stored.length);
  // A little longer: a duplicate arriving late would show here.
  await new Promise((r) => setTimeout(r, 300));
  const resumedOn = await socketHolders();
  const after = states.slice(statesBefore);
  client.close();
  await until('the WebSocket closed on its instance', async () => (await socketHolders()).length === 0);
  return { received, stored, talk, states: after, holder, resumedOn, missedWhileAway, lastSeen };
}

/** What every kill case must show: the client's messages are exactly the stored ones, 1..n, once each. */
function expectNoGapNoDuplicate(r: Awaited<ReturnType<typeof killHolderWhileTalking>>) {
  const seqs = r.stored.map((m) => m.seq);
  expect(seqs).toEqual(Array.from({ length: r.stored.length }, (_, i) => i + 1));
  expect(r.received.map((m) => m.id)).toEqual(r.stored.map((m) => m.id));
  expect(r.received.map((m) => m.seq)).toEqual(seqs);
  // Nothing the customer sent was lost or stored twice, however many times a cut send was retried.
  const byClientId = r.stored.filter((m) => m.author_type === 'user' && m.client_id).map((m) => m.client_id);
  expect(byClientId.filter((id) => r.talk.customerClientIds.includes(id!)).sort()).toEqual([...r.talk.customerClientIds].sort());
  for (const id of r.talk.agentReplies) expect(r.stored.filter((m) => m.id === id)).toHaveLength(1);
  // It really was away while messages were written, and it came back on another instance.
  expect(r.missedWhileAway).toBeGreaterThanOrEqual(3);
  expect(r.received.filter((m) => m.seq > r.lastSeen).length).toBeGreaterThanOrEqual(r.missedWhileAway);
  expect(r.states.at(-1)?.state).toBe('open');
  expect(r.resumedOn).toHaveLength(1);
  expect(r.resumedOn[0]).not.toBe(r.holder);
  expect(isAlive(r.holder)).toBe(false);
}

beforeAll(async () => {
  if (!onPostgres || !hasNginx) return;
  const url = process.env.TEST_DATABASE_URL!;
  ({ schema, drop: dropSchema } = await createSchema(url, 't_scale'));

  const ports = await Promise.all(Array.from({ length: INSTANCES + 1 }, () => freePort()));
  const nginxPort = ports[INSTANCES]!;
  publicUrl = `http://127.0.0.1:${nginxPort}`;
  // An empty schema: the three instances migrate it together, under the migrations' advisory lock.
  servers = await Promise.all(
    ports.slice(0, INSTANCES).map((port) =>
      startServerProcess(
        {
          DATABASE_URL: urlWithSchema(url, schema),
          REDIS_URL,
          TRUST_PROXY: '127.0.0.1',
          RATE_LIMIT: 'on',
          RATE_LIMIT_PER_MINUTE: '600',
          METRICS_TOKEN,
          PUBLIC_URL: publicUrl,
          ADMIN_EMAIL: ADMIN.email,
          ADMIN_PASSWORD: ADMIN.password,
        },
        port,
      ),
    ),
  );
  await Promise.all(servers.map((s) => waitHealthy(s)));
  nginx = await startNginx(await deploySiteConf({ listen: `127.0.0.1:${nginxPort}`, upstreamPorts: ports.slice(0, INSTANCES) }), nginxPort);
  redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
}, 400_000);

afterAll(async () => {
  if (!onPostgres || !hasNginx) return;
  for (const c of clients) c.close();
  await nginx?.stop();
  await Promise.all(servers.map((s) => s.stop(10_000)));
  if (redis) {
    // Only this run's keys (its client addresses); they would expire within the minute anyway.
    for (const ip of [CUSTOMER_IP, OTHER_IP, AGENT_IP, OBSERVER_IP]) {
      const keys = await redis.keys(`tf-rate-limit-${ip}*`);
      if (keys.length) await redis.del(...keys);
    }
    redis.disconnect();
  }
  await dropSchema?.();
}, 120_000);

describe.skipIf(!onPostgres || !hasNginx)('three instances behind nginx (deploy/nginx.conf) on one PostgreSQL and Redis', () => {
  it('serves a conversation whichever instance each request reaches, with one session cookie valid on all', async () => {
    const before = await scrape();
    const cookie = await agentLogin();
    // No WebSocket open yet: nginx's least_conn then takes the instances in turn.
    for (let i = 0; i < 2 * INSTANCES; i++) {
      const me = await viaNginx('GET', '/api/auth/me', { from: AGENT_IP, headers: { cookie } });
      expect(me.status).toBe(200);
      expect(me.body.agent.email).toBe(ADMIN.email);
    }
    const meServed = served(before, await scrape(), { route: '/api/auth/me', status: '200' });
    expect(meServed.every((n) => n >= 1), `GET /api/auth/me answered 200 per instance: ${meServed}`).toBe(true);
    // And on each instance's own port, without the proxy.
    for (const s of servers) expect((await call(s.url, 'GET', '/api/auth/me', { headers: { cookie } })).status).toBe(200);

    const { ticket, token } = await openTicket(CUSTOMER_IP);
    const received: Message[] = [];
    const client = createRealtimeClient({
      url: `${nginx.url.replace('http', 'ws')}${REALTIME_PATH}`,
      WebSocketImpl: realtimeFrom(CUSTOMER_IP, { open: true }, ''),
    });
    clients.push(client);
    client.subscribe(ticketChannel(ticket.id), { token, since: 0, onMessage: (m) => received.push(m) });
    await until('the opening message over the WebSocket', () => received.length === 1);

    for (let i = 1; i <= 4; i++) {
      const sent = await viaNginx('POST', `/api/tickets/${ticket.id}/messages`, {
        from: CUSTOMER_IP,
        body: { body: `message ${i}`, clientId: randomUUID() },
        headers: { authorization: `Bearer ${token}` },
      });
      expect(sent.status).toBe(201);
    }
    const queue = await viaNginx('GET', '/api/agent/tickets?status=open&limit=100', { from: AGENT_IP, headers: { cookie } });
    expect(queue.status).toBe(200);
    expect(queue.body.tickets.map((t: Ticket) => t.id)).toContain(ticket.id);
    const detail = await viaNginx('GET', `/api/agent/tickets/${ticket.id}`, { from: AGENT_IP, headers: { cookie } });
    expect(detail.status).toBe(200);
    expect(detail.body.messages).toHaveLength(5);
    // Reached under another name than PUBLIC_URL: the same-origin check compares Origin with the Host the
    // browser sent, which nginx must pass on with its port ($http_host, not $host).
    const otherName = `localhost:${nginx.port}`;
    const patched = await viaNginx('PATCH', `/api/agent/tickets/${ticket.id}`, {
      from: AGENT_IP,
      body: { priority: 'high' },
      headers: { cookie, host: otherName, origin: `http://${otherName}` },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.ticket.priority).toBe('high');
    const reply = await viaNginx('POST', `/api/agent/tickets/${ticket.id}/messages`, {
      from: AGENT_IP,
      body: { body: 'Sorry! A new order is on its way.' },
      headers: { cookie, origin: publicUrl },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);

    await until("the agent's reply on the customer's WebSocket", () => received.some((m) => m.id === reply.body.message.id));
    const stored = await storedMessages(ticket.id, token);
    expect(received.map((m) => m.id)).toEqual(stored.map((m) => m.id));
    expect(received.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(received.at(-1)).toMatchObject({ author_type: 'agent', body: 'Sorry! A new order is on its way.' });

    // The conversation's requests were answered by every instance.
    const all = served(before, await scrape(), {});
    expect(all.every((n) => n >= 1), `requests answered per instance: ${all}`).toBe(true);
    client.close();
    await until('the WebSocket closed on its instance', async () => (await socketHolders()).length === 0);
  });

  it('shares the per-IP limit across instances through Redis, keyed on the address nginx saw, whatever X-Forwarded-For says', async () => {
    // A route with its own stricter limit, so the test reaches it in a few dozen requests.
    const route = '/api/chat/ask';
    const limit = ROUTE_LIMITS_PER_MINUTE[`POST ${route}`]!;
    const ask = (from: string, xff: string) =>
      viaNginx('POST', route, { from, body: { text: 'Is your chicken halal?', lang: 'en' }, headers: { 'x-forwarded-for': xff } });
    const forgedPrefix = `2001:db8::${randomBytes(2).toString('hex')}`;
    const before = await scrape();
    for (let i = 0; i < limit; i++) {
      // Each request claims another address: nginx appends the real one, and only that one counts.
      const res = await ask(CUSTOMER_IP, `${forgedPrefix}:${i}`);
      expect(res.status, `request ${i + 1} of ${limit}`).toBe(200);
    }
    const afterAllowed = await scrape();
    const allowedPerInstance = served(before, afterAllowed, { route, status: '200' });
    // Spread over all three, none of which alone reached the limit: the count is shared.
    expect(allowedPerInstance.every((n) => n >= 1 && n < limit), `answered per instance: ${allowedPerInstance}`).toBe(true);

    for (let i = 0; i < INSTANCES; i++) {
      const refused = await ask(CUSTOMER_IP, `${forgedPrefix}:ffff`);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('rate_limited');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    }
    const refusedPerInstance = served(afterAllowed, await scrape(), { route, status: '429' });
    expect(refusedPerInstance.reduce((a, b) => a + b, 0)).toBe(INSTANCES);
    expect(refusedPerInstance.filter((n) => n > 0).length, `429 per instance: ${refusedPerInstance}`).toBeGreaterThanOrEqual(2);

    // Another visitor (another address) is not affected, even claiming to be the limited one.
    const other = await ask(OTHER_IP, CUSTOMER_IP);
    expect(other.status).toBe(200);

    // In Redis: one counter for the real address, none for any forged one.
    expect(Number(await redis.get(`tf-rate-limit-${CUSTOMER_IP}|POST ${route}`))).toBe(limit + INSTANCES);
    expect(await redis.keys(`tf-rate-limit-${forgedPrefix}*`)).toEqual([]);
    expect(Number(await redis.get(`tf-rate-limit-${OTHER_IP}|POST ${route}`))).toBe(1);
  });

  it('resumes with no gap and no duplicate when the instance holding the WebSocket is killed (SIGKILL)', async () => {
    const r = await killHolderWhileTalking(async (holder) => {
      holder.child.kill('SIGKILL');
      expect(await holder.exited).toBe(null);
    });
    // The link was cut without a close frame: nginx drops the client's connection (1006).
    expect(r.states.find((s) => s.state === 'reconnecting')?.code).toBe(1006);
    expectNoGapNoDuplicate(r);
    process.stdout.write(
      `[scale-out] SIGKILL: ${r.stored.length} messages, ${r.missedWhileAway} written while away, customer sends resent: ${r.talk.customerResends}, agent replies cut: ${r.talk.agentFailures} ${JSON.stringify(r.talk.cut)}\n`,
    );
  });

  it('resumes with no gap and no duplicate when that instance stops gracefully (SIGTERM, close 1001)', async () => {
    let exit: Promise<number | null> = Promise.resolve(null);
    const r = await killHolderWhileTalking(async (holder) => {
      exit = holder.stop();
    });
    expect(await exit).toBe(0);
    expect(r.states.find((s) => s.state === 'reconnecting')?.code).toBe(1001);
    expectNoGapNoDuplicate(r);
    process.stdout.write(
      `[scale-out] SIGTERM: ${r.stored.length} messages, ${r.missedWhileAway} written while away, customer sends resent: ${r.talk.customerResends}, agent replies cut: ${r.talk.agentFailures} ${JSON.stringify(r.talk.cut)}\n`,
    );
  });

  it("answers nginx's own errors in the API's JSON shape and keeps /metrics to each instance's port", async () => {
    const metrics = await viaNginx('GET', '/metrics', { from: CUSTOMER_IP });
    expect(metrics.status).toBe(404);
    expect(metrics.body.error.code).toBe('not_found');
    // Every instance down: a separate nginx on the same file, in front of ports where nothing listens.
    const port = await freePort();
    const dead = await startNginx(await deploySiteConf({ listen: `127.0.0.1:${port}`, upstreamPorts: [await freePort(), await freePort()] }), port);
    try {
      const res = await call(dead.url, 'GET', '/api/faq', { headers: { 'accept-language': 'nl-BE,nl;q=0.9' } });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toEqual({ error: { code: 'unavailable', message: expect.stringContaining('tijdelijk') } });
    } finally {
      await dead.stop();
    }
  });

  it("caps one address's WebSockets at nginx (limit_conn), across the instances, with a JSON 429", async () => {
    const cap = Number(/limit_conn tasty_realtime_per_ip (\d+);/.exec(await readFile(DEPLOY_NGINX_CONF, 'utf8'))?.[1]);
    expect(cap).toBeGreaterThan(0);
    const url = `${nginx.url.replace('http', 'ws')}${REALTIME_PATH}`;
    const handshake = () =>
      new Promise<{ ws: WebSocket } | { status: number; retryAfter?: string; body: string }>((resolve, reject) => {
        const ws = new WebSocket(url, { localAddress: SOCKET_FLOOD_IP, origin: publicUrl, headers: { 'accept-language': 'en' } });
        ws.once('open', () => resolve({ ws }));
        ws.once('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'], body }));
        });
        ws.once('error', reject);
      });
    const held: WebSocket[] = [];
    try {
      // The instances each hold a third of them (least_conn), well under their own per-address cap.
      for (let i = 0; i < cap; i++) {
        const r = await handshake();
        if (!('ws' in r)) throw new Error(`socket ${i + 1} of ${cap} refused: ${r.status} ${r.body}`);
        held.push(r.ws);
      }
      const refused = await handshake();
      if ('ws' in refused) throw new Error('the socket past the cap was accepted');
      expect(refused.status).toBe(429);
      expect(refused.retryAfter).toBe('10');
      expect(JSON.parse(refused.body)).toEqual({ error: { code: 'rate_limited', message: expect.stringContaining('Too many live connections') } });
      // Another address is not affected.
      const neighbour = await new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(url, { localAddress: OTHER_IP, origin: publicUrl });
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
      held.push(neighbour);
    } finally {
      for (const ws of held) ws.terminate();
    }
  });
});
