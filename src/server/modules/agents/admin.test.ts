import { describe, expect, it } from 'vitest';
import { createAgent, createLoggedInAgent, expectBusEvent, loginAgent } from '../../test/agent-factories.ts';
import { useTestApp } from '../../test/test-app.ts';

const ctx = useTestApp({ publicUrl: 'http://localhost:3000' });

function api(method: 'GET' | 'POST' | 'PATCH', url: string, cookie?: string, payload?: object, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method, url, payload, headers: { ...(cookie ? { cookie } : {}), ...headers } });
}

async function me(cookie: string) {
  return (await ctx.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode;
}

describe('admin routes: who may call them', () => {
  it('answers 401 without a session on every admin route', async () => {
    const target = await createAgent(ctx.testDb.db);
    expect((await api('GET', '/api/admin/agents')).statusCode).toBe(401);
    expect((await api('POST', '/api/admin/agents', undefined, { email: 'x@tastyfood.example', name: 'X' })).statusCode).toBe(401);
    expect((await api('PATCH', `/api/admin/agents/${target.id}`, undefined, { disabled: true })).statusCode).toBe(401);
  });

  it('answers 403 to agents on every admin route', async () => {
    const agent = await createLoggedInAgent(ctx.app);
    const target = await createAgent(ctx.testDb.db);
    for (const res of [
      await api('GET', '/api/admin/agents', agent.cookie),
      await api('POST', '/api/admin/agents', agent.cookie, { email: 'y@tastyfood.example', name: 'Y' }),
      await api('PATCH', `/api/admin/agents/${target.id}`, agent.cookie, { role: 'admin' }),
    ]) {
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
    const { rows } = await ctx.testDb.db.query<{ role: string }>('SELECT role FROM agents WHERE id = $1', [target.id]);
    expect(rows[0]!.role).toBe('agent');
  });

  it('answers 403 to an admin change sent from another site', async () => {
    const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
    const res = await api('POST', '/api/admin/agents', admin.cookie, { email: 'csrf@tastyfood.example', name: 'C' }, { origin: 'https://evil.example' });
    expect(res.statusCode).toBe(403);
    const same = await api('POST', '/api/admin/agents', admin.cookie, { email: 'csrf-ok@tastyfood.example', name: 'C' }, { origin: 'http://localhost:3000' });
    expect(same.statusCode).toBe(201);
    const crossSiteNoOrigin = await api('POST', '/api/admin/agents', admin.cookie, { email: 'csrf2@tastyfood.example', name: 'C' }, { 'sec-fetch-site': 'cross-site' });
    expect(crossSiteNoOrigin.statusCode).toBe(403);
  });
});

describe('admin routes: managing agents', () => {
  it('creates an agent with a generated password shown once, which works for login', async () => {
    const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
    const res = await api('POST', '/api/admin/agents', admin.cookie, { email: 'New.Agent@TastyFood.example', name: 'New Agent' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.agent).toMatchObject({ email: 'new.agent@tastyfood.example', name: 'New Agent', role: 'agent', disabled: false, last_login_at: null });
    expect(body.password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    await loginAgent(ctx.app, { email: 'new.agent@tastyfood.example', password: body.password });
    const list = await api('GET', '/api/admin/agents', admin.cookie);
    expect(list.statusCode).toBe(200);
    expect(list.json().agents.map((a: { email: string }) => a.email)).toContain('new.agent@tastyfood.example');
    expect(JSON.stringify(list.json())).not.toContain('argon2');
  });

  it('creates an agent with the given password and no password in the answer', async () => {
    const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
    const res = await api('POST', '/api/admin/agents', admin.cookie, { email: 'given@tastyfood.example', name: 'Given', role: 'admin', password: 'a long enough secret' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).not.toHaveProperty('password');
    expect(res.json().agent.role).toBe('admin');
  });

  it('answers 409 for an address already used, whatever its case, and 400 for a short password', async () => {
    const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
    const existing = await createAgent(ctx.testDb.db);
    const dup = await api('POST', '/api/admin/agents', admin.cookie, { email: existing.email.toUpperCase(), name: 'Dup' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('conflict');
    const short = await api('POST', '/api/admin/agents', admin.cookie, { email: 'short@tastyfood.example', name: 'S', password: 'short' });
    expect(short.statusCode).toBe(400);
  });

  it('disabling an agent ends all their sessions at once and publishes agent.revoked', async () => {
    const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
    const agent = await createLoggedInAgent(ctx.app);
    const second = await loginAgent(ctx.app, agent);
    await expectBusEvent(ctx.testDb.db, { type: 'agent.revoked', agentId: agent.id }, async () => {
      const res = await api('PATCH', `/api/admin/agents/${agent.id}`, admin.cookie, { disabled: true });
      expect(res.statusCode).toBe(200);
      expect(res.json().agent.disabled).toBe(true);
    });
    expect(await me(agent.cookie)).toBe(401);
    expect(await me(second)).toBe(401);
    const { rows } = await ctx.testDb.db.query('SELECT 1 FROM agent_sessions WHERE agent_id = $1', [agent.id]);
    expect(rows).toEqual([]);
    expect((await api('POST', '/api/auth/login', undefined, { email: agent.email, password: agent.password })).statusCode).toBe(401);

    const enabled = await api('PATCH', `/api/admin/agents/${agent.id}`, admin.cookie, { disabled: false });
    expect(enabled.json().agent.disabled).toBe(false);
    await loginAgent(ctx.app, agent);
  });

  it('changes a role, which takes effect on the next request of an open session', async () => {
    const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
    const agent = await createLoggedInAgent(ctx.app);
    expect((await api('GET', '/api/admin/agents', agent.cookie)).statusCode).toBe(403);
    expect((await api('PATCH', `/api/admin/agents/${agent.id}`, admin.cookie, { role: 'admin' })).json().agent.role).toBe('admin');
    expect((await api('GET', '/api/admin/agents', agent.cookie)).statusCode).toBe(200);
    expect((await api('PATCH', `/api/admin/agents/${agent.id}`, admin.cookie, { role: 'agent' })).json().agent.role).toBe('agent');
    expect((await api('GET', '/api/admin/agents', agent.cookie)).statusCode).toBe(403);
  });

  it('refuses to demote or disable the last active admin with 409', async () => {
    // A database of its own would be cleaner; here every other admin of this file is disabled first.
    await ctx.testDb.db.query(`UPDATE agents SET disabled = true WHERE role = 'admin'`);
    const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
    const demote = await api('PATCH', `/api/admin/agents/${admin.id}`, admin.cookie, { role: 'agent' });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.code).toBe('conflict');
    expect((await api('PATCH', `/api/admin/agents/${admin.id}`, admin.cookie, { disabled: true })).statusCode).toBe(409);
    expect(await me(admin.cookie)).toBe(200);

    const other = await createAgent(ctx.testDb.db, { role: 'admin' });
    expect((await api('PATCH', `/api/admin/agents/${admin.id}`, admin.cookie, { role: 'agent' })).statusCode).toBe(200);
    const last = await loginAgent(ctx.app, other);
    expect((await api('PATCH', `/api/admin/agents/${other.id}`, last, { disabled: true })).statusCode).toBe(409);
  });

  it('sets a new password, which ends the agent’s sessions', async () => {
    const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
    const agent = await createLoggedInAgent(ctx.app);
    const res = await api('PATCH', `/api/admin/agents/${agent.id}`, admin.cookie, { password: 'brand new secret 1' });
    expect(res.statusCode).toBe(200);
    expect(await me(agent.cookie)).toBe(401);
    await loginAgent(ctx.app, { email: agent.email, password: 'brand new secret 1' });
  });

  it('answers 404 for an unknown agent and 400 for an empty change', async () => {
    const admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
    expect((await api('PATCH', '/api/admin/agents/00000000-0000-4000-8000-000000000000', admin.cookie, { role: 'agent' })).statusCode).toBe(404);
    expect((await api('PATCH', `/api/admin/agents/${admin.id}`, admin.cookie, {})).statusCode).toBe(400);
  });
});
