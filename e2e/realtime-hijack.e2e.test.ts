import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, type TestAgent } from '../src/server/test/agent-factories.ts';
import { launchBrowser, logIn, type Browser, type BrowserContext, type Page } from './support/browser.ts';
import { freePort, startTestServer, type TestServer } from './support/server.ts';

// Issue 13, WebSocket hijacking: an agent signed in to the dashboard visits a page of a site listed in
// ALLOWED_ORIGINS (allowed to embed the widget). Same site, so the browser sends the agent's cookie with
// that page's WebSocket (cookies are not port-scoped: the server is at localhost:<p1>, the page at
// localhost:<p2>). The page's script tries to follow the queue and a ticket: both must be refused.

type Outcome = { channel: string; answer: string; code?: string };

/** The attacker's script: opens a socket to the support server and tries each channel in turn. */
const ATTACK_SCRIPT = `
  const params = new URLSearchParams(location.search);
  const channels = ['queue', 'ticket:' + params.get('ticket')];
  window.outcomes = [];
  const ws = new WebSocket(params.get('server'));
  ws.onopen = () => { for (const channel of channels) ws.send(JSON.stringify({ type: 'subscribe', channel })); };
  ws.onmessage = (event) => {
    const frame = JSON.parse(event.data);
    if (frame.type === 'subscribed') window.outcomes.push({ channel: frame.channel, answer: 'subscribed' });
    if (frame.type === 'error') window.outcomes.push({ channel: frame.channel, answer: 'error', code: frame.code });
  };
  ws.onclose = (event) => window.outcomes.push({ channel: '', answer: 'closed ' + event.code });
`;

let srv: TestServer;
let browser: Browser;
let agent: TestAgent;
let evil: Server;
let evilOrigin: string;
let serverAtLocalhost: string;
const contexts: BrowserContext[] = [];
const upgrades: IncomingMessage[] = [];

beforeAll(async () => {
  const evilPort = await freePort();
  evilOrigin = `http://localhost:${evilPort}`;
  srv = await startTestServer({ extraOrigins: [evilOrigin] });
  serverAtLocalhost = srv.url.replace('127.0.0.1', 'localhost');
  // Every handshake the server receives, to show the browser did send the agent's cookie.
  srv.app.server.prependListener('upgrade', (request: IncomingMessage) => upgrades.push(request));
  agent = await createAgent(srv.db, { role: 'admin', name: 'Alice Admin' });
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Menu</title><link rel="icon" href="data:,"></head>
<body><main><h1>Our menu</h1></main><script>${ATTACK_SCRIPT}</script></body></html>`;
  evil = createServer((req, res) => {
    if (req.url?.startsWith('/menu')) res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => evil.listen(evilPort, '127.0.0.1', resolve));
  browser = await launchBrowser({ crossOriginLoopback: true });
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await new Promise((resolve) => evil?.close(resolve));
  await srv?.close();
});

async function signedInPage(): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US' });
  contexts.push(context);
  const page = await context.newPage();
  await logIn(page, serverAtLocalhost, agent);
  return page;
}

async function openTicketId(): Promise<string> {
  const res = await fetch(`${srv.url}/api/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'hijack.victim@example.com', message: 'Ma commande n’est jamais arrivée' }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { ticket: { id: string } }).ticket.id;
}

async function outcomes(page: Page): Promise<Outcome[]> {
  await page.waitForFunction(() => ((window as unknown as { outcomes?: unknown[] }).outcomes ?? []).length >= 2, undefined, { timeout: 20_000 });
  return page.evaluate(() => (window as unknown as { outcomes: Outcome[] }).outcomes);
}

describe('a page of a site in ALLOWED_ORIGINS, in the browser of a signed-in agent', () => {
  it('opens a socket with the agent cookie but may follow neither the queue nor a ticket', async () => {
    const ticketId = await openTicketId();
    const page = await signedInPage();
    const wsUrl = `${serverAtLocalhost.replace('http', 'ws')}/api/realtime`;
    const from = upgrades.length;
    await page.goto(`${evilOrigin}/menu?server=${encodeURIComponent(wsUrl)}&ticket=${ticketId}`);
    const got = await outcomes(page);

    // The attack was real: the handshake came from the foreign page and carried the agent's session.
    const handshake = upgrades.slice(from).find((r) => r.headers.origin === evilOrigin);
    expect(handshake?.headers.cookie).toMatch(/=/);
    expect(got).toEqual(
      expect.arrayContaining([
        { channel: 'queue', answer: 'error', code: 'unauthorized' },
        { channel: `ticket:${ticketId}`, answer: 'error', code: 'unauthorized' },
      ]),
    );
    expect(got.some((o) => o.answer === 'subscribed')).toBe(false);

    // The same script on the server's own origin (the dashboard's) is the agent: both are followed.
    await page.goto(`${serverAtLocalhost}/agent`);
    await page.evaluate(`(() => { history.replaceState(null, '', '?server=${encodeURIComponent(wsUrl)}&ticket=${ticketId}'); ${ATTACK_SCRIPT} })()`);
    const own = await outcomes(page);
    expect(own).toEqual(
      expect.arrayContaining([
        { channel: 'queue', answer: 'subscribed' },
        { channel: `ticket:${ticketId}`, answer: 'subscribed' },
      ]),
    );
  });
});
