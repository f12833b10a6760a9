import { describe, expect, it } from 'vitest';
import { createAgent, createLoggedInAgent, loginAgent, sessionCookieFrom } from '../../test/agent-factories.ts';
import { useTestApp } from '../../test/test-app.ts';
import { hashSessionId } from './session-agent.ts';

const ctx = useTestApp({ publicUrl: 'https://support.tastyfood.example', loginMaxFailuresPerAccount: 3, loginMaxFailuresPerIp: 6 });

let ipCounter = 0;
/** Each test its own client address, so per-IP counts of one test do not leak into another. */
function freshIp() {
  ipCounter += 1;
  return `10.0.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`;
}

function deviceCookieFrom(setCookie: string | string[] | undefined): string | null {
  for (const c of ([] as string[]).concat(setCookie ?? [])) {
    const m = /^(tf_device=[^;]*)/.exec(c);
    if (m) return m[1]!;
  }
  return null;
}

function login(payload: unknown, headers: Record<string, string> = {}, remoteAddress = freshIp()) {
  return ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: payload as object, headers, remoteAddress });
}

describe('POST /api/auth/login', () => {
  it('answers the agent and sets an HttpOnly, SameSite=Strict, Secure session cookie whose hash only is stored', async () => {
    const agent = await createAgent(ctx.testDb.db, { role: 'admin' });
    const res = await login({ email: agent.email.toUpperCase(), password: agent.password });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ agent: { id: agent.id, email: agent.email, name: agent.name, role: 'admin' } });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^tf_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toContain('Secure');
    const id = sessionCookieFrom(res.headers['set-cookie'])!.slice('tf_session='.length);
    const { rows } = await ctx.testDb.db.query<{ id_hash: string }>('SELECT id_hash FROM agent_sessions WHERE agent_id = $1', [agent.id]);
    expect(rows).toEqual([{ id_hash: hashSessionId(id) }]);
  });

  it('stores passwords as argon2id hashes', async () => {
    const agent = await createAgent(ctx.testDb.db);
    const { rows } = await ctx.testDb.db.query<{ password_hash: string }>('SELECT password_hash FROM agents WHERE id = $1', [agent.id]);
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('gives a new session id at every login and ends the session the request carried', async () => {
    const agent = await createAgent(ctx.testDb.db);
    const first = await loginAgent(ctx.app, agent);
    const res = await login({ email: agent.email, password: agent.password }, { cookie: first });
    const second = sessionCookieFrom(res.headers['set-cookie'])!;
    expect(second).not.toBe(first);
    expect((await ctx.app.inject({ url: '/api/auth/me', headers: { cookie: first } })).statusCode).toBe(401);
    expect((await ctx.app.inject({ url: '/api/auth/me', headers: { cookie: second } })).statusCode).toBe(200);
  });

  it('answers 401 with the same body for a wrong password and for an unknown e-mail', async () => {
    const agent = await createAgent(ctx.testDb.db);
    const wrong = await login({ email: agent.email, password: 'not the password' });
    const unknown = await login({ email: `nobody.${agent.id}@tastyfood.example`, password: 'not the password' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().error.code).toBe('unauthorized');
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a disabled agent with the same 401 as a wrong password', async () => {
    const agent = await createAgent(ctx.testDb.db);
    await ctx.testDb.db.query('UPDATE agents SET disabled = true WHERE id = $1', [agent.id]);
    const res = await login({ email: agent.email, password: agent.password });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toBe((await login({ email: agent.email, password: 'x' })).json().error.message);
  });

  it('limits failures per (account, address) with 429 and Retry-After, even for the right password, and for unknown e-mails alike', async () => {
    const agent = await createAgent(ctx.testDb.db);
    const ip = freshIp();
    for (let i = 0; i < 3; i++) expect((await login({ email: agent.email, password: `bad-${i}` }, {}, ip)).statusCode).toBe(401);
    const limited = await login({ email: agent.email, password: agent.password }, {}, ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    const ghost = `ghost.${agent.id}@tastyfood.example`;
    const ghostIp = freshIp();
    for (let i = 0; i < 3; i++) expect((await login({ email: ghost, password: `bad-${i}` }, {}, ghostIp)).statusCode).toBe(401);
    const ghostLimited = await login({ email: ghost, password: 'bad' }, {}, ghostIp);
    expect(ghostLimited.statusCode).toBe(429);
    expect(ghostLimited.json()).toEqual(limited.json());
  });

  it('lets the account in again from that address once its failures have left the window', async () => {
    const agent = await createAgent(ctx.testDb.db);
    const ip = freshIp();
    for (let i = 0; i < 3; i++) await login({ email: agent.email, password: 'bad' }, {}, ip);
    expect((await login({ email: agent.email, password: agent.password }, {}, ip)).statusCode).toBe(429);
    await ctx.testDb.db.query(`UPDATE login_attempts SET created_at = now() - interval '16 minutes' WHERE key = $1`, [
      `account-ip:${agent.email} ${ip}`,
    ]);
    expect((await login({ email: agent.email, password: agent.password }, {}, ip)).statusCode).toBe(200);
  });

  it('forgives an account its failures from an address after a successful login from it', async () => {
    const agent = await createAgent(ctx.testDb.db);
    const ip = freshIp();
    for (let i = 0; i < 2; i++) await login({ email: agent.email, password: 'bad' }, {}, ip);
    expect((await login({ email: agent.email, password: agent.password }, {}, ip)).statusCode).toBe(200);
    for (let i = 0; i < 2; i++) await login({ email: agent.email, password: 'bad' }, {}, ip);
    expect((await login({ email: agent.email, password: agent.password }, {}, ip)).statusCode).toBe(200);
  });

  it('does not lock an admin out when strangers fail on the address from elsewhere, however many', async () => {
    const admin = await createAgent(ctx.testDb.db, { role: 'admin' });
    for (let n = 0; n < 4; n++) {
      const stranger = freshIp();
      for (let i = 0; i < 3; i++) await login({ email: admin.email, password: `guess-${i}` }, {}, stranger);
      expect((await login({ email: admin.email, password: admin.password }, {}, stranger)).statusCode).toBe(429);
    }
    expect((await login({ email: admin.email, password: admin.password })).statusCode).toBe(200);
  });

  it('lets a known device in even when strangers behind its own address used up that address\'s budget', async () => {
    const admin = await createAgent(ctx.testDb.db, { role: 'admin' });
    const office = freshIp();
    const first = await login({ email: admin.email, password: admin.password }, {}, office);
    const device = deviceCookieFrom(first.headers['set-cookie']);
    expect(device).toMatch(/^tf_device=[A-Za-z0-9_-]{43}$/);
    for (let i = 0; i < 6; i++) await login({ email: admin.email, password: `guess-${i}` }, {}, office);
    expect((await login({ email: admin.email, password: admin.password }, {}, office)).statusCode).toBe(429);
    expect((await login({ email: admin.email, password: admin.password }, { cookie: device! }, office)).statusCode).toBe(200);
  });

  it('sets the device cookie HttpOnly, SameSite=Strict, on /api/auth only, and stores only its hash', async () => {
    const agent = await createAgent(ctx.testDb.db);
    const res = await login({ email: agent.email, password: agent.password });
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('tf_device='))!;
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/api/auth');
    expect(setCookie).toContain('Secure');
    const id = deviceCookieFrom(res.headers['set-cookie'])!.slice('tf_device='.length);
    const { rows } = await ctx.testDb.db.query('SELECT id_hash FROM agent_devices WHERE agent_id = $1', [agent.id]);
    expect(rows).toEqual([{ id_hash: hashSessionId(id) }]);
  });

  it('does not treat another account\'s device cookie as known', async () => {
    const mine = await createAgent(ctx.testDb.db);
    const target = await createAgent(ctx.testDb.db, { role: 'admin' });
    const ip = freshIp();
    const device = deviceCookieFrom((await login({ email: mine.email, password: mine.password }, {}, ip)).headers['set-cookie'])!;
    for (let i = 0; i < 3; i++) await login({ email: target.email, password: `guess-${i}` }, { cookie: device }, ip);
    expect((await login({ email: target.email, password: 'guess' }, { cookie: device }, ip)).statusCode).toBe(429);
  });

  it('limits failures per IP address across accounts', async () => {
    const ip = freshIp();
    for (let i = 0; i < 6; i++) {
      expect((await login({ email: `spray.${i}.${ip}@tastyfood.example`, password: 'bad' }, {}, ip)).statusCode).toBe(401);
    }
    const agent = await createAgent(ctx.testDb.db);
    const res = await login({ email: agent.email, password: agent.password }, {}, ip);
    expect(res.statusCode).toBe(429);
    expect((await login({ email: agent.email, password: agent.password })).statusCode).toBe(200);
  });

  it('refuses a login posted from another site with 403', async () => {
    const agent = await createAgent(ctx.testDb.db);
    const res = await login({ email: agent.email, password: agent.password }, { origin: 'https://evil.example' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
    const ok = await login({ email: agent.email, password: agent.password }, { origin: 'https://support.tastyfood.example' });
    expect(ok.statusCode).toBe(200);
  });

  it('answers 400 for a malformed body', async () => {
    expect((await login({ email: 'a@b.c' })).statusCode).toBe(400);
    expect((await login({ email: 'a@b.c', password: 'x', extra: 1 })).statusCode).toBe(400);
  });
});

describe('GET /api/auth/me', () => {
  it('answers the logged-in agent', async () => {
    const agent = await createLoggedInAgent(ctx.app);
    const res = await ctx.app.inject({ url: '/api/auth/me', headers: { cookie: agent.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ agent: { id: agent.id, email: agent.email, name: agent.name, role: 'agent' } });
  });

  it('answers 401 without a cookie and with a forged one', async () => {
    expect((await ctx.app.inject({ url: '/api/auth/me' })).statusCode).toBe(401);
    const forged = await ctx.app.inject({ url: '/api/auth/me', headers: { cookie: `tf_session=${'A'.repeat(43)}` } });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('unauthorized');
  });
});

describe('session timeouts', () => {
  it('ends a session idle for longer than the idle timeout', async () => {
    const agent = await createLoggedInAgent(ctx.app);
    await ctx.testDb.db.query(`UPDATE agent_sessions SET last_seen_at = now() - interval '8 hours 1 second' WHERE agent_id = $1`, [agent.id]);
    expect((await ctx.app.inject({ url: '/api/auth/me', headers: { cookie: agent.cookie } })).statusCode).toBe(401);
  });

  it('slides the idle timeout on use', async () => {
    const agent = await createLoggedInAgent(ctx.app);
    await ctx.testDb.db.query(`UPDATE agent_sessions SET last_seen_at = now() - interval '7 hours' WHERE agent_id = $1`, [agent.id]);
    expect((await ctx.app.inject({ url: '/api/auth/me', headers: { cookie: agent.cookie } })).statusCode).toBe(200);
    const { rows } = await ctx.testDb.db.query<{ fresh: boolean }>(
      `SELECT last_seen_at > now() - interval '1 minute' AS fresh FROM agent_sessions WHERE agent_id = $1`,
      [agent.id],
    );
    expect(rows).toEqual([{ fresh: true }]);
  });

  it('ends a session past its absolute timeout however active it is', async () => {
    const agent = await createLoggedInAgent(ctx.app);
    await ctx.testDb.db.query(`UPDATE agent_sessions SET expires_at = now() - interval '1 second' WHERE agent_id = $1`, [agent.id]);
    expect((await ctx.app.inject({ url: '/api/auth/me', headers: { cookie: agent.cookie } })).statusCode).toBe(401);
  });
});

describe('POST /api/auth/logout', () => {
  it('ends the session for good and clears the cookie', async () => {
    const agent = await createLoggedInAgent(ctx.app);
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: agent.cookie } });
    expect(res.statusCode).toBe(204);
    expect(String(res.headers['set-cookie'])).toMatch(/^tf_session=;.*Max-Age=0/);
    expect((await ctx.app.inject({ url: '/api/auth/me', headers: { cookie: agent.cookie } })).statusCode).toBe(401);
    const { rows } = await ctx.testDb.db.query('SELECT 1 FROM agent_sessions WHERE agent_id = $1', [agent.id]);
    expect(rows).toEqual([]);
  });

  it('refuses a logout from another site with 403 and keeps the session', async () => {
    const agent = await createLoggedInAgent(ctx.app);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: agent.cookie, origin: 'https://evil.example' },
    });
    expect(res.statusCode).toBe(403);
    expect((await ctx.app.inject({ url: '/api/auth/me', headers: { cookie: agent.cookie } })).statusCode).toBe(200);
  });
});
