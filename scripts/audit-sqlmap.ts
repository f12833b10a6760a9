/**
 * `npm run audit:sqlmap [-- --quick] [-- --database-url postgres://…] [-- --target http://127.0.0.1:PORT]`
 *
 * Runs Debian's sqlmap against the public and agent endpoints of a real server on the loopback and
 * fails when sqlmap reports anything injectable, when a request drew a 5xx, or when the server stopped
 * answering. Before that, the same options are aimed at a deliberately injectable canary endpoint, which
 * sqlmap must catch: an audit that cannot find a planted injection proves nothing. See docs/security.md ("SQL injection audit with sqlmap").
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { startServerProcess, urlWithSchema, waitHealthy, type ServerProcess } from '../src/server/test/server-process.ts';

const ADMIN_EMAIL = 'sqlmap-admin@example.com';
const ADMIN_PASSWORD = `audit-${randomBytes(12).toString('hex')}`;
// Originals that the eval hook (below) replaces by fresh values, so that the per-address ticket limit and
// clientId idempotency do not turn every later request into the same 429/200 and hide a difference.
const ROTATED_EMAIL = 'sqlmap-audit@example.com';
const ROTATED_CLIENT_ID = '00000000-0000-4000-8000-000000000000';
/** The server this script starts takes inbound e-mail (POST /api/inbound/email) with this secret. */
const INBOUND_SECRET = `sqlmap-inbound-${randomBytes(12).toString('hex')}`;
/** The smallest PDF the upload check accepts (its bytes say PDF, it ends with %%EOF): an attachment to upload. */
const TINY_PDF = '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';
const BOUNDARY = 'sqlmapAuditBoundary7MA4YWxk';

type Mode = { name: 'full' | 'quick'; level: number; risk: number; timeSec: number; budgetMs: number; runTimeoutMs: number };
const MODES: Record<Mode['name'], Mode> = {
  // Level 3 adds the extra prefix/suffix boundaries (e.g. for ORDER BY and parenthesised clauses) and the
  // payloads meant for headers and cookies; risk 2 adds the heavier time-based queries. Risk 3 would add
  // OR-based payloads, which on an UPDATE can rewrite every row and double the requests while detecting
  // nothing that the AND-based ones miss on a parameterised query.
  full: { name: 'full', level: 3, risk: 2, timeSec: 2, budgetMs: 8 * 60_000, runTimeoutMs: 150_000 },
  // 24 runs since issue 22 (about 6 s each on a quiet machine); the budget counts from the first run, so
  // a slow start-up does not eat it: CI's bound is 300 s with the canary and the start-up (20–40 s each).
  quick: { name: 'quick', level: 1, risk: 2, timeSec: 2, budgetMs: 180_000, runTimeoutMs: 60_000 },
};

/** One sqlmap run: a request (sqlmap's `*` marks an injection point inside the URL or a header) and the parameters to test. */
type Target = {
  name: string;
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  route: string;
  json?: Record<string, unknown>;
  headers?: Record<string, string>;
  cookie?: string;
  params?: string[];
  /** Replace the rotated originals (e-mail, clientId, ticket) before each request. */
  rotate?: boolean;
  /** sqlmap's --technique when not all of BEUST apply, with the reason (printed in the report). */
  technique?: string;
  /** A raw body (multipart, a MIME message) instead of JSON; sqlmap's `*` marks the injection points in it. */
  data?: string;
  /** Left out of --quick, with the reason (printed). */
  fullOnly?: string;
  why?: string;
};

type ParamResult = { param: string; tests: number; verdict: 'not injectable' | 'INJECTABLE' | 'not reached' };
type RunResult = {
  target: Target;
  params: ParamResult[];
  injectable: string[];
  notes: string[];
  httpCodes: Record<string, number>;
  requests: number;
  seconds: number;
  timedOut: boolean;
  exitCode: number | null;
};

function loopbackOnly(url: string): void {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1') throw new Error(`refusing to aim sqlmap at ${host}: only 127.0.0.1 is allowed`);
}

// ---------------------------------------------------------------- sqlmap's output

// sqlmap's lines name a parameter as "[time] [LEVEL] <place> parameter '<name>' …"; the place may be absent.
const TESTING_PARAM = /^(.*?)testing for SQL injection on (?:(.+?) )?parameter '(.+?)'/;
const TESTING = /\[INFO\] testing '(.+?)'/;
const INJECTABLE = /^(.*?)parameter '(.+?)' (?:is|appears to be) '(.+?)' injectable/;
const VULNERABLE = /^(.*?)parameter '(.+?)' is vulnerable/;
const IDENTIFIED = /sqlmap identified the following injection point\(s\)/;
const NOT_INJECTABLE = /^(.*?)parameter '(.+?)' does not seem to be injectable/;
// sqlmap's own check of a finding; when it fails, the parameter's "does not seem to be injectable" follows.
const FALSE_POSITIVE = /false positive or unexploitable injection point detected/;
const HTTP_CODE = /^(\d{3}) \((.+?)\) - (\d+) times?/;
const NOTES = [/heuristic \(basic\) test shows that .+? might be injectable.*/, /heuristic \(XSS\) test shows that .+/, /\[CRITICAL\] .+/];

/**
 * A readable name for the table. sqlmap calls a `*` marker `#1*` and, for a marker in the URL of a
 * request with a JSON body, even labels it "JSON #1*" although the payload goes into the path.
 */
function paramName(prefix: string | undefined, name: string): string {
  const place = (prefix ?? '').replace(/\[[^\]]*\]/g, '').replace(/^.*testing for SQL injection on/, '').trim();
  const marker = /^(.*?)\s*#\d+\*$/.exec(name);
  if (marker) {
    const where = marker[1] ?? '';
    if (/cookie/i.test(where) || /cookie/i.test(place)) return 'session cookie';
    if (/multipart/i.test(where)) return 'multipart field';
    return where && where !== 'JSON' ? `${where} header` : 'id in the path';
  }
  if (/cookie/i.test(place)) return `cookie ${name}`;
  return name.replace(/^JSON /, '');
}

/** What sqlmap said, per parameter: how many tests it ran ("testing '…'" lines) and its verdict. */
export function parseSqlmapOutput(output: string): Pick<RunResult, 'params' | 'injectable' | 'notes' | 'httpCodes'> {
  const params = new Map<string, ParamResult>();
  const injectable = new Set<string>();
  const notes: string[] = [];
  const httpCodes: Record<string, number> = {};
  let current: ParamResult | null = null;
  let rejected = false;
  // sqlmap rewrites progress lines with a bare carriage return.
  for (const line of output.split(/[\r\n]+/)) {
    let m = TESTING_PARAM.exec(line);
    if (m) {
      const name = paramName(m[2], m[3]!);
      current = params.get(name) ?? { param: name, tests: 0, verdict: 'not reached' };
      params.set(name, current);
      rejected = false;
      continue;
    }
    if (TESTING.test(line) && current) {
      current.tests += 1;
      continue;
    }
    m = INJECTABLE.exec(line);
    if (m) {
      const name = paramName(m[1], m[2]!);
      injectable.add(`${name}: ${m[3]}`);
      const p = params.get(name);
      if (p) p.verdict = 'INJECTABLE';
      continue;
    }
    m = VULNERABLE.exec(line);
    if (m) {
      const name = paramName(m[1], m[2]!);
      const p = params.get(name);
      if (p) p.verdict = 'INJECTABLE';
      if (![...injectable].some((s) => s.startsWith(`${name}:`))) injectable.add(`${name}: vulnerable`);
      continue;
    }
    if (IDENTIFIED.test(line) && injectable.size === 0) injectable.add('sqlmap identified an injection point');
    if (FALSE_POSITIVE.test(line)) {
      rejected = true;
      continue;
    }
    m = NOT_INJECTABLE.exec(line);
    if (m) {
      const name = paramName(m[1], m[2]!);
      const p = params.get(name);
      // An "appears to be injectable" that sqlmap's own false-positive check then rejected.
      if (p && p.verdict === 'INJECTABLE' && rejected) {
        p.verdict = 'not injectable';
        for (const s of [...injectable]) if (s.startsWith(`${name}:`)) injectable.delete(s);
        notes.push(`${name}: a boolean-based finding that sqlmap's false-positive check rejected (the answer echoes the value)`);
      }
      if (p && p.verdict === 'not reached') p.verdict = 'not injectable';
      rejected = false;
      continue;
    }
    m = HTTP_CODE.exec(line.trim());
    if (m) {
      httpCodes[m[1]!] = (httpCodes[m[1]!] ?? 0) + Number(m[3]);
      continue;
    }
    for (const re of NOTES) {
      const n = re.exec(line);
      if (n) notes.push(n[0].replace(/^\[CRITICAL\] /, ''));
    }
  }
  return { params: [...params.values()], injectable: [...injectable], notes, httpCodes };
}

// ---------------------------------------------------------------- running sqlmap

/** A Python hook for sqlmap's --eval: fresh e-mail and clientId, and the next ticket of a pool (id in the URL, token in the header). */
function rotationHook(pool: { id: string; token: string }[]): string {
  return `import itertools, uuid
POOL = ${JSON.stringify(pool.map((t) => [t.id, t.token]))}
_n = itertools.count()

def apply(v):
    if v.get('email') == ${JSON.stringify(ROTATED_EMAIL)}:
        v['email'] = 'sqlmap-%s@example.com' % uuid.uuid4().hex[:20]
    if v.get('clientId') == ${JSON.stringify(ROTATED_CLIENT_ID)}:
        v['clientId'] = str(uuid.uuid4())
    if POOL and ('/api/tickets/%s/' % POOL[0][0]) in v['uri']:
        t = POOL[next(_n) % len(POOL)]
        v['uri'] = v['uri'].replace(POOL[0][0], t[0])
        v['_locals']['auxHeaders']['Authorization'] = 'Bearer ' + t[1]
`;
}

/** /metrics is never public: the server this script starts gets this token; a --target server, METRICS_TOKEN's. */
const METRICS_TOKEN = process.env.METRICS_TOKEN ?? `sqlmap-audit-${randomBytes(12).toString('hex')}`;

async function routeCounts(baseUrl: string): Promise<Map<string, number>> {
  const res = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (!res.ok) throw new Error(`GET /metrics answered ${res.status}: set METRICS_TOKEN to the server's`);
  const text = await res.text();
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/^tf_http_request_duration_seconds_count\{([^}]*)\} (\d+)/gm)) {
    const labels = Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    const key = `${labels.method} ${labels.route} ${labels.status}`;
    counts.set(key, (counts.get(key) ?? 0) + Number(m[2]));
  }
  return counts;
}

function sumWhere(counts: Map<string, number>, test: (method: string, route: string, status: string) => boolean): number {
  let n = 0;
  for (const [k, v] of counts) {
    const [method = '', route = '', status = ''] = k.split(' ');
    if (test(method, route, status)) n += v;
  }
  return n;
}

type RunOptions = { mode: Mode; outDir: string; evalDir: string; timeoutMs: number; baseUrl?: string };

async function runSqlmap(target: Target, o: RunOptions): Promise<RunResult> {
  loopbackOnly(target.url);
  const args = [
    '-u', target.url,
    '--method', target.method,
    '--batch',
    '--dbms=PostgreSQL',
    `--level=${o.mode.level}`,
    `--risk=${o.mode.risk}`,
    `--technique=${target.technique ?? 'BEUST'}`,
    `--time-sec=${o.mode.timeSec}`,
    '--flush-session',
    `--output-dir=${o.outDir}`,
    '--disable-coloring',
    '--timeout=15',
    '--retries=1',
    // 401 is an answer here (a payload in a token, a cookie or a password), not a reason for sqlmap to stop.
    '--ignore-code=401',
    // Keep the agent's session cookie as given; a login's Set-Cookie must not replace it.
    '--drop-set-cookie',
    // Our strict schemas answer sqlmap's WAF probe (an unknown parameter) with 400, which it takes for a WAF.
    '--skip-waf',
    // Prompts that --batch would otherwise answer with their default.
    '--answers=follow=N,keep testing=Y,process it=Y,extending provided=Y',
  ];
  if (target.json) args.push(`--data=${JSON.stringify(target.json)}`, '-H', 'Content-Type: application/json');
  if (target.data !== undefined) args.push(`--data=${target.data}`, '--skip-urlencode');
  for (const [k, v] of Object.entries(target.headers ?? {})) args.push('-H', `${k}: ${v}`);
  if (target.cookie) args.push(`--cookie=${target.cookie}`);
  if (target.params) args.push('-p', target.params.join(','));
  if (target.rotate) args.push(`--eval=import sys; sys.path.insert(0, ${JSON.stringify(o.evalDir)}); import tf_rotate; tf_rotate.apply(locals())`);

  const before = o.baseUrl ? await routeCounts(o.baseUrl) : null;
  const started = Date.now();
  const child = spawn(process.env.SQLMAP ?? '/usr/bin/sqlmap', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  }, o.timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  clearTimeout(timer);
  const seconds = (Date.now() - started) / 1000;
  await writeFile(join(o.outDir, `${target.name.replace(/[^\w]+/g, '_')}.log`), `sqlmap ${args.join(' ')}\n\n${output}`);
  const after = o.baseUrl ? await routeCounts(o.baseUrl) : null;
  const requests =
    before && after ? sumWhere(after, (m, r) => `${m} ${r}` === target.route) - sumWhere(before, (m, r) => `${m} ${r}` === target.route) : 0;
  const parsed = parseSqlmapOutput(output);
  if (exitCode !== 0 && !timedOut && parsed.params.length === 0) parsed.notes.push(`sqlmap exited with ${exitCode}:\n${output.slice(-1500)}`);
  return { target, ...parsed, requests, seconds, timedOut, exitCode };
}

// ---------------------------------------------------------------- the canary

/**
 * A deliberately injectable endpoint (string-built SQL on an in-memory PGlite): the positive control.
 * GET /canary?name= and POST /canary {"name"}, both answering the count of matching rows.
 */
async function startCanary(): Promise<{ url: string; close: () => Promise<void> }> {
  const db = new PGlite();
  await db.exec(`CREATE TABLE items (id int, name text); INSERT INTO items VALUES (1, 'apple'), (2, 'pear');`);
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const name = req.method === 'POST' ? String((JSON.parse(raw || '{}') as { name?: unknown }).name ?? '') : (url.searchParams.get('name') ?? '');
      try {
        const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM items WHERE name = '${name}'`);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ found: r.rows[0]?.n }));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'invalid_request' } }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

// ---------------------------------------------------------------- the server under audit

type Api = { baseUrl: string; origin: string };

async function api<T>(a: Api, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: T; headers: Headers }> {
  const res = await fetch(`${a.baseUrl}${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

async function expectStatus<T>(p: Promise<{ status: number; json: T; headers: Headers }>, status: number, what: string) {
  const r = await p;
  if (r.status !== status) throw new Error(`${what}: expected ${status}, got ${r.status} ${JSON.stringify(r.json)}`);
  return r;
}

type Ticket = { id: string; token: string };

async function createTicket(a: Api, i: number): Promise<Ticket> {
  const r = await expectStatus(
    api<{ ticket: { id: string }; token: string }>(a, 'POST', '/api/tickets', {
      email: `sqlmap-pool-${i}-${randomBytes(4).toString('hex')}@example.com`,
      message: 'My burger order TF-1001 is late, can you check?',
      lang: 'en',
    }),
    201,
    'create a ticket',
  );
  return { id: r.json.ticket.id, token: r.json.token };
}

/** Tickets, messages and an agent session: the identities that sqlmap's requests carry. */
async function prepare(a: Api, poolSize: number) {
  const pool: Ticket[] = [];
  for (let i = 0; i < poolSize; i++) pool.push(await createTicket(a, i));
  const main = pool[0]!;
  const auth = { authorization: `Bearer ${main.token}` };
  for (const body of ['Hello?', 'Any news about my order?']) {
    await expectStatus(api(a, 'POST', `/api/tickets/${main.id}/messages`, { body, clientId: randomUUID() }, auth), 201, 'send a message');
  }
  const page = await expectStatus(api<{ nextCursor: string | null }>(a, 'GET', `/api/tickets/${main.id}/messages?limit=1`, undefined, auth), 200, 'read messages');
  if (!page.json.nextCursor) throw new Error('expected a cursor to an older page');
  const login = await expectStatus(api(a, 'POST', '/api/auth/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }), 200, 'agent login');
  const setCookie = login.headers.get('set-cookie') ?? '';
  const cookie = /^[^;]+/.exec(setCookie)?.[0];
  if (!cookie) throw new Error('no session cookie after login');
  const agentHeaders = { cookie, origin: a.origin };
  // This round's endpoints (issue 22): a chat thread, an uploaded file, a canned reply, a restaurant.
  const ask = await expectStatus(api<{ conversationToken: string; answers: { key?: string; id?: string }[] }>(a, 'POST', '/api/chat/ask', { text: 'Is your meat halal?', lang: 'en' }), 200, 'chat ask');
  const upload = await fetch(`${a.baseUrl}/api/tickets/${main.id}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${main.token}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    body: multipart(randomUUID()),
  });
  if (upload.status !== 201) throw new Error(`upload an attachment: expected 201, got ${upload.status} ${await upload.text()}`);
  const attachment = ((await upload.json()) as { attachment: { id: string } }).attachment;
  const canned = await expectStatus(
    api<{ reply: { id: string } }>(a, 'POST', '/api/agent/canned-replies', { lang: 'en', shortcut: 'sqlmap', title: 'Audit', body: 'Thanks for waiting.' }, agentHeaders),
    201,
    'create a canned reply',
  );
  const locations = await expectStatus(api<{ locations: { id: string }[] }>(a, 'GET', '/api/locations'), 200, 'list locations');
  return {
    pool,
    main,
    cursor: page.json.nextCursor,
    cookie,
    conversationToken: ask.json.conversationToken,
    feedbackKey: String(ask.json.answers[0]?.key ?? ask.json.answers[0]?.id ?? 'faq-halal'),
    attachmentId: attachment.id,
    cannedId: canned.json.reply.id,
    locationId: locations.json.locations[0]?.id ?? 'brussels-center',
  };
}

/** A multipart upload as the widget sends it: `clientId`, then the file (sqlmap's `*` may mark the clientId). */
function multipart(clientId: string): string {
  return [
    `--${BOUNDARY}`,
    'Content-Disposition: form-data; name="clientId"',
    '',
    clientId,
    `--${BOUNDARY}`,
    'Content-Disposition: form-data; name="file"; filename="receipt.pdf"',
    'Content-Type: application/pdf',
    '',
    TINY_PDF,
    `--${BOUNDARY}--`,
    '',
  ].join('\r\n');
}

/** A customer's reply by e-mail, as a provider's webhook posts it; `*` marks where sqlmap injects. */
function inboundMime(ticketId: string): string {
  return [
    'From: Emma Jones <emma.jones@example.com>*',
    `To: support+${ticketId}*@tastyfood.example`,
    'Subject: Re: my order*',
    'Message-ID: <sqlmap-audit*@example.com>',
    'Date: Wed, 2 Dec 2026 10:00:00 +0000',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Still waiting for my burger.*',
    '',
  ].join('\r\n');
}

function targets(a: Api, p: Awaited<ReturnType<typeof prepare>>): Target[] {
  const base = a.baseUrl;
  const bearer = { Authorization: `Bearer ${p.main.token}` };
  const agent = { cookie: p.cookie, headers: { Origin: a.origin } };
  return [
    {
      name: 'POST /api/tickets',
      method: 'POST',
      url: `${base}/api/tickets`,
      route: 'POST /api/tickets',
      json: { email: ROTATED_EMAIL, message: 'Is the chicken halal?', lang: 'en', orderNumber: 'TF-1001' },
      params: ['email', 'message', 'lang', 'orderNumber'],
      rotate: true,
    },
    {
      name: 'POST /api/tickets/:id/messages',
      method: 'POST',
      url: `${base}/api/tickets/${p.main.id}/messages`,
      route: 'POST /api/tickets/:id/messages',
      json: { body: 'Where is my order?', clientId: ROTATED_CLIENT_ID },
      headers: bearer,
      params: ['body', 'clientId'],
      rotate: true,
    },
    {
      name: 'GET /api/tickets/:id/messages',
      method: 'GET',
      url: `${base}/api/tickets/${p.main.id}/messages?limit=1&cursor=${encodeURIComponent(p.cursor)}`,
      route: 'GET /api/tickets/:id/messages',
      headers: bearer,
      params: ['limit', 'cursor'],
    },
    {
      name: 'GET /api/tickets/:id/messages (id in the path, token)',
      method: 'GET',
      url: `${base}/api/tickets/${p.main.id}*/messages?limit=1`,
      route: 'GET /api/tickets/:id/messages',
      headers: { Authorization: `Bearer ${p.main.token}*` },
    },
    { name: 'POST /api/chat/ask', method: 'POST', url: `${base}/api/chat/ask`, route: 'POST /api/chat/ask', json: { text: 'Is your meat halal?', lang: 'en' }, params: ['lang'] },
    {
      name: 'POST /api/chat/ask (text)',
      method: 'POST',
      url: `${base}/api/chat/ask`,
      route: 'POST /api/chat/ask',
      json: { text: 'Is your meat halal?', lang: 'en' },
      params: ['text'],
      technique: 'EUST',
      why:
        "boolean-based blind left out: the bot's answer depends on the words, so 'CASE WHEN (1500=1500)' and " +
        "'(1500=2341)' get different answers (one number repeated or two) with no SQL involved; sqlmap took that for " +
        'an ORDER BY injection (docs/security.md)',
    },
    { name: 'GET /api/faq', method: 'GET', url: `${base}/api/faq?lang=en`, route: 'GET /api/faq', params: ['lang'] },
    {
      name: 'GET /api/orders/track',
      method: 'GET',
      url: `${base}/api/orders/track?number=TF-1001&email=emma.jones%40example.com`,
      route: 'GET /api/orders/track',
      params: ['number', 'email'],
    },
    {
      name: 'POST /api/auth/login',
      method: 'POST',
      url: `${base}/api/auth/login`,
      route: 'POST /api/auth/login',
      json: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
      params: ['email', 'password'],
    },
    {
      name: 'GET /api/agent/tickets',
      method: 'GET',
      url: `${base}/api/agent/tickets?status=all&priority=normal&q=burger&sort=created_at&order=desc&page=1&limit=20`,
      route: 'GET /api/agent/tickets',
      ...agent,
      params: ['status', 'priority', 'q', 'sort', 'order', 'page', 'limit'],
    },
    {
      name: 'PATCH /api/agent/tickets/:id',
      method: 'PATCH',
      url: `${base}/api/agent/tickets/${p.main.id}`,
      route: 'PATCH /api/agent/tickets/:id',
      ...agent,
      json: { status: 'pending', priority: 'high', agent_note: 'Called the restaurant' },
      params: ['status', 'priority', 'agent_note'],
    },
    {
      name: 'PATCH /api/agent/tickets/:id (id in the path, session cookie)',
      method: 'PATCH',
      url: `${base}/api/agent/tickets/${p.main.id}*`,
      route: 'PATCH /api/agent/tickets/:id',
      ...agent,
      // A marker, so that sqlmap tests the cookie at every level (it leaves cookies out below level 2).
      cookie: `${p.cookie}*`,
      json: { priority: 'urgent' },
    },
    // ---- this round's endpoints (issue 22): attachments, inbound e-mail, locations, notes, canned replies, chat
    {
      name: 'POST /api/tickets/:id/attachments (multipart clientId)',
      method: 'POST',
      url: `${base}/api/tickets/${p.main.id}/attachments`,
      route: 'POST /api/tickets/:id/attachments',
      headers: { ...bearer, 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
      data: multipart(`${randomUUID()}*`),
    },
    {
      name: 'GET /api/attachments/:id (id in the path, token)',
      method: 'GET',
      url: `${base}/api/attachments/${p.attachmentId}*`,
      route: 'GET /api/attachments/:id',
      headers: { Authorization: `Bearer ${p.main.token}*` },
    },
    {
      name: 'POST /api/inbound/email (MIME headers and body)',
      method: 'POST',
      url: `${base}/api/inbound/email`,
      route: 'POST /api/inbound/email',
      headers: { Authorization: `Bearer ${INBOUND_SECRET}`, 'Content-Type': 'message/rfc822' },
      data: inboundMime(p.main.id),
      fullOnly:
        "each request waits for the sender's SPF and DMARC look-ups, which fail only after seconds on a machine " +
        'without DNS: some 50 requests a marker do not fit the quick budget',
    },
    { name: 'GET /api/locations/delivers', method: 'GET', url: `${base}/api/locations/delivers?postcode=1000`, route: 'GET /api/locations/delivers', params: ['postcode'] },
    {
      name: 'GET /api/locations/:id/hours (id in the path, at)',
      method: 'GET',
      url: `${base}/api/locations/${p.locationId}*/hours?at=2026-12-02T12:00:00%2B01:00`,
      route: 'GET /api/locations/:id/hours',
    },
    { name: 'GET /api/support-hours', method: 'GET', url: `${base}/api/support-hours?lang=en`, route: 'GET /api/support-hours', params: ['lang'] },
    {
      name: 'POST /api/agent/tickets/:id/notes',
      method: 'POST',
      url: `${base}/api/agent/tickets/${p.main.id}/notes`,
      route: 'POST /api/agent/tickets/:id/notes',
      ...agent,
      json: { body: 'Called the restaurant: on its way' },
      params: ['body'],
    },
    {
      name: 'PATCH /api/agent/canned-replies/:id',
      method: 'PATCH',
      url: `${base}/api/agent/canned-replies/${p.cannedId}`,
      route: 'PATCH /api/agent/canned-replies/:id',
      ...agent,
      json: { shortcut: 'sqlmap', title: 'Audit', body: 'Thanks for waiting.' },
      params: ['shortcut', 'title', 'body'],
    },
    { name: 'GET /api/agent/canned-replies', method: 'GET', url: `${base}/api/agent/canned-replies?lang=en`, route: 'GET /api/agent/canned-replies', ...agent, params: ['lang'] },
    {
      name: 'POST /api/chat/ask (conversationToken)',
      method: 'POST',
      url: `${base}/api/chat/ask`,
      route: 'POST /api/chat/ask',
      json: { text: 'Is your meat halal?', lang: 'en', conversationToken: p.conversationToken },
      params: ['conversationToken'],
    },
    {
      name: 'POST /api/chat/feedback',
      method: 'POST',
      url: `${base}/api/chat/feedback`,
      route: 'POST /api/chat/feedback',
      json: { conversationToken: p.conversationToken, key: p.feedbackKey, helpful: true },
      params: ['conversationToken', 'key'],
    },
    {
      name: 'GET /api/chat/thread (token)',
      method: 'GET',
      url: `${base}/api/chat/thread`,
      route: 'GET /api/chat/thread',
      headers: { Authorization: `Bearer ${p.conversationToken}*` },
    },
  ];
}

// ---------------------------------------------------------------- report

function table([head, ...body]: [string[], ...string[][]]): string {
  const widths = head.map((_, i) => Math.max(...[head, ...body].map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

function report(results: RunResult[]): string {
  const rows: [string[], ...string[][]] = [['endpoint', 'parameter', 'techniques', 'tests', 'requests', 'seconds', 'result']];
  for (const r of results) {
    const params = r.params.length ? r.params : [{ param: '(none reached)', tests: 0, verdict: 'not reached' as const }];
    params.forEach((p, i) => {
      const verdict = p.verdict === 'not reached' && r.timedOut ? 'TIMED OUT' : p.verdict;
      rows.push([i === 0 ? r.target.name : '', p.param, r.target.technique ?? 'BEUST', String(p.tests), i === 0 ? String(r.requests) : '', i === 0 ? r.seconds.toFixed(0) : '', verdict]);
    });
  }
  return table(rows);
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      'database-url': { type: 'string' },
      target: { type: 'string' },
      only: { type: 'string' },
      'skip-canary': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  const mode = MODES[values.quick ? 'quick' : 'full'];
  const sqlmap = process.env.SQLMAP ?? '/usr/bin/sqlmap';
  if (!existsSync(sqlmap)) throw new Error(`${sqlmap} not found: apt-get install sqlmap`);
  const started = Date.now();
  const work = await mkdtemp(join(tmpdir(), 'tf-sqlmap-'));
  const outDir = join(work, 'sqlmap');
  await mkdir(outDir, { recursive: true });
  const cleanups: (() => Promise<unknown>)[] = [];
  const failures: string[] = [];
  const say = (s: string) => process.stdout.write(`${s}\n`);
  say(`sqlmap audit, ${mode.name} mode: --level=${mode.level} --risk=${mode.risk} --technique=BEUST --time-sec=${mode.timeSec}; budget ${mode.budgetMs / 1000} s; logs in ${outDir}`);

  try {
    // The positive control: the same options must catch a planted injection, in a query string and in JSON.
    if (!values['skip-canary']) {
      const canary = await startCanary();
      cleanups.push(canary.close);
      for (const t of [
        { name: 'canary GET', method: 'GET' as const, url: `${canary.url}/canary?name=apple`, route: '', params: ['name'] },
        { name: 'canary POST JSON', method: 'POST' as const, url: `${canary.url}/canary`, route: '', json: { name: 'apple' }, params: ['name'] },
      ]) {
        const r = await runSqlmap({ ...t }, { mode: { ...MODES.quick, name: mode.name }, outDir, evalDir: work, timeoutMs: 60_000 });
        say(`positive control (${t.name}): ${r.injectable.length ? `caught: ${r.injectable.join('; ')}` : 'NOT CAUGHT'} in ${r.seconds.toFixed(0)} s`);
        if (!r.injectable.length) failures.push(`sqlmap did not catch the planted injection (${t.name}): the audit cannot be trusted`);
      }
      await canary.close();
      cleanups.pop();
    }

    let server: ServerProcess | null = null;
    let baseUrl: string;
    let errorLines = 0;
    const errorSamples: string[] = [];
    if (values.target) {
      loopbackOnly(values.target);
      baseUrl = values.target.replace(/\/+$/, '');
    } else {
      const env: Record<string, string> = {
        RATE_LIMIT: 'off',
        METRICS_TOKEN,
        LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000000',
        LOGIN_MAX_FAILURES_PER_IP: '1000000',
        DEMO_DATA: 'true',
        ADMIN_EMAIL,
        ADMIN_PASSWORD,
        INBOUND_EMAIL_SECRET: INBOUND_SECRET,
        EMAIL_WORKER: 'off',
        ESCALATION_INTERVAL_SECONDS: '3600',
        LOG_LEVEL: 'warn',
        DATA_DIR: join(work, 'data'),
      };
      const dbUrl = values['database-url'] ?? process.env.DATABASE_URL;
      if (dbUrl) {
        const schema = `sqlmap_${randomBytes(5).toString('hex')}`;
        const admin = new pg.Client({ connectionString: dbUrl });
        await admin.connect();
        await admin.query(`CREATE SCHEMA ${schema}`);
        await admin.end();
        cleanups.push(async () => {
          const c = new pg.Client({ connectionString: dbUrl });
          await c.connect();
          await c.query(`DROP SCHEMA ${schema} CASCADE`);
          await c.end();
        });
        env.DATABASE_URL = urlWithSchema(dbUrl, schema);
        say(`database: PostgreSQL server, fresh schema ${schema}`);
      } else {
        say('database: embedded (PGlite) in a temporary DATA_DIR');
      }
      const s = await startServerProcess(env);
      server = s;
      cleanups.push(() => s.stop());
      // Every line the server logs at error level or above (pino level ≥ 50): an unexpected error.
      let partial = '';
      s.child.stdout?.on('data', (d: Buffer) => {
        const lines = (partial + d.toString()).split('\n');
        partial = lines.pop() ?? '';
        for (const l of lines) {
          const level = /"level":(\d+)/.exec(l);
          if (level && Number(level[1]) >= 50) {
            errorLines += 1;
            if (errorSamples.length < 3) errorSamples.push(l.slice(0, 400));
          }
        }
      });
      await waitHealthy(s);
      baseUrl = s.url;
      say(`server: ${baseUrl} (pid ${s.child.pid})`);
    }
    // The server takes its own address (the Host header) as a same-site Origin for the agent's changes.
    const a: Api = { baseUrl, origin: new URL(baseUrl).origin };

    // Enough tickets that the hourly per-ticket message limit (100) never answers the message sends.
    const prepared = await prepare(a, mode.name === 'full' ? 40 : 10);
    await writeFile(join(work, 'tf_rotate.py'), rotationHook(prepared.pool));
    const metricsBefore = await routeCounts(baseUrl);

    const only = values.only?.split(',').map((s) => s.trim().toLowerCase());
    const all = targets(a, prepared).filter((t) => !only || only.some((o) => t.name.toLowerCase().includes(o)));
    const list = all.filter((t) => mode.name === 'full' || !t.fullOnly);
    for (const t of all) if (t.fullOnly && mode.name === 'quick') say(`left out of --quick: ${t.name} (${t.fullOnly})`);
    const results: RunResult[] = [];
    const deadline = Date.now() + mode.budgetMs;
    for (const [i, t] of list.entries()) {
      const remaining = deadline - Date.now();
      // Share what is left of the budget among the runs still to go, never more than one run's cap.
      const timeoutMs = Math.max(5_000, Math.min(mode.runTimeoutMs, remaining / (list.length - i)));
      const r = await runSqlmap(t, { mode, outDir, evalDir: work, timeoutMs, baseUrl });
      results.push(r);
      say(`${t.name}: ${r.params.map((p) => `${p.param} ${p.tests} tests ${p.verdict}`).join(', ') || 'no parameter reached'} (${r.requests} requests, ${r.seconds.toFixed(0)} s${r.timedOut ? ', TIMED OUT' : ''})`);
    }

    const metricsAfter = await routeCounts(baseUrl);
    const status5xx = sumWhere(metricsAfter, (_m, _r, s) => s.startsWith('5')) - sumWhere(metricsBefore, (_m, _r, s) => s.startsWith('5'));
    const byStatus = new Map<string, number>();
    for (const [k, v] of metricsAfter) {
      const status = k.split(' ')[2] ?? '';
      byStatus.set(status, (byStatus.get(status) ?? 0) + v - (metricsBefore.get(k) ?? 0));
    }
    const health = await fetch(`${baseUrl}/healthz`).then((r) => r.status).catch(() => 0);

    say('');
    say(report(results));
    say('');
    say(`server answers during the audit, by status: ${[...byStatus].filter(([, n]) => n > 0).sort().map(([s, n]) => `${s}: ${n}`).join(', ')}`);
    for (const r of results) {
      if (r.injectable.length) failures.push(`${r.target.name}: INJECTABLE ${r.injectable.join('; ')}`);
      if (r.timedOut) failures.push(`${r.target.name}: timed out after ${r.seconds.toFixed(0)} s; parameters not finished: ${r.params.filter((p) => p.verdict === 'not reached').map((p) => p.param).join(', ') || 'all'}`);
      else if (r.params.length === 0) failures.push(`${r.target.name}: sqlmap tested no parameter (see its log)`);
      else if (r.params.some((p) => p.verdict === 'not reached')) failures.push(`${r.target.name}: sqlmap gave no verdict for ${r.params.filter((p) => p.verdict === 'not reached').map((p) => p.param).join(', ')}`);
      for (const [code, n] of Object.entries(r.httpCodes)) if (code.startsWith('5')) failures.push(`${r.target.name}: sqlmap saw ${n} × HTTP ${code}`);
      for (const n of r.notes) say(`note (${r.target.name}): ${n}`);
      if (r.target.why) say(`note (${r.target.name}): ${r.target.why}`);
    }
    if (status5xx > 0) failures.push(`the server answered ${status5xx} request(s) with a 5xx (GET /metrics)`);
    if (errorLines > 0) failures.push(`the server logged ${errorLines} error line(s), e.g.\n${errorSamples.join('\n')}`);
    if (health !== 200) failures.push(`GET /healthz answered ${health} after the audit`);
    if (server && server.child.exitCode !== null) failures.push(`the server exited with ${server.child.exitCode}`);
    say(`5xx answers: ${status5xx}; server error log lines: ${values.target ? 'not watched (--target)' : errorLines}; /healthz after: ${health}`);
  } finally {
    for (const c of cleanups.reverse()) await c().catch((err: Error) => process.stderr.write(`cleanup: ${err.message}\n`));
    if (failures.length === 0 && !values.keep) await rm(work, { recursive: true, force: true });
  }
  const total = ((Date.now() - started) / 1000).toFixed(0);
  if (failures.length) {
    say(`\nFAILED after ${total} s (sqlmap's logs kept in ${outDir}):\n- ${failures.join('\n- ')}`);
    return 1;
  }
  say(`\nsqlmap found nothing injectable; no 5xx; the server stayed healthy. ${total} s in all.`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`audit:sqlmap: ${err.stack ?? err.message}\n`);
    process.exit(2);
  },
);
