import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AutoAssignMode } from '../../../contracts/team.ts';
import { buildApp } from '../../app.ts';
import { createLoggedInAgent, loginAgent, type TestAgent } from '../../test/agent-factories.ts';
import { testConfig } from '../../test/test-app.ts';
import { createTestDb, type TestDb } from '../../test/test-db.ts';

// Issue 16 follow-up: round-robin is an admin's setting. AUTO_ASSIGN only gives the first value, written
// on a database that has none; a restart with another AUTO_ASSIGN never overwrites what an admin chose.
const ORIGIN = 'http://localhost:3000';
const SETTINGS_URL = '/api/agent/team/settings';
type LoggedIn = TestAgent & { cookie: string };

const dbs: TestDb[] = [];
const apps: FastifyInstance[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
  for (const db of dbs) await db.cleanup();
});

async function newDatabase(): Promise<TestDb> {
  const testDb = await createTestDb();
  dbs.push(testDb);
  return testDb;
}
/** An instance started with this AUTO_ASSIGN on that database (as `npm start` after the migrations). */
async function start(testDb: TestDb, autoAssign: AutoAssignMode): Promise<FastifyInstance> {
  const app = await buildApp({ db: testDb.db, config: testConfig({ publicUrl: ORIGIN, autoAssign }) });
  apps.push(app);
  return app;
}
function call(app: FastifyInstance, agent: LoggedIn | null, method: 'GET' | 'PUT', payload?: object, headers: Record<string, string> = {}) {
  return app.inject({ method, url: SETTINGS_URL, payload, headers: { ...(agent ? { cookie: agent.cookie } : {}), ...headers } });
}
async function storedRows(testDb: TestDb) {
  return (await testDb.db.query<{ auto_assign: string }>('SELECT auto_assign FROM team_settings')).rows;
}

describe('the round-robin setting across restarts', () => {
  it('starts a new database with the value of AUTO_ASSIGN (or off without it)', async () => {
    const withRoundRobin = await newDatabase();
    expect(await storedRows(withRoundRobin)).toEqual([]);
    const app = await start(withRoundRobin, 'round_robin');
    const admin = await createLoggedInAgent(app, { role: 'admin' });
    const res = await call(app, admin, 'GET');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ autoAssign: 'round_robin', updatedAt: expect.any(String), updatedBy: null });

    const byDefault = await newDatabase();
    const other = await start(byDefault, testConfig().autoAssign);
    const otherAdmin = await createLoggedInAgent(other, { role: 'admin' });
    expect((await call(other, otherAdmin, 'GET')).json()).toMatchObject({ autoAssign: 'off', updatedBy: null });
    expect(await storedRows(byDefault)).toEqual([{ auto_assign: 'off' }]);
  });

  it('keeps what an admin chose when the app restarts with another AUTO_ASSIGN', async () => {
    const testDb = await newDatabase();
    const first = await start(testDb, 'round_robin');
    const admin = await createLoggedInAgent(first, { name: 'Nadia', role: 'admin' });
    const chosen = await call(first, admin, 'PUT', { autoAssign: 'off' });
    expect(chosen.statusCode).toBe(200);
    expect(chosen.json()).toEqual({ autoAssign: 'off', updatedAt: expect.any(String), updatedBy: { id: admin.id, name: 'Nadia' } });
    await first.close();

    const restarted = await start(testDb, 'round_robin');
    const agent = await createLoggedInAgent(restarted);
    const after = await call(restarted, agent, 'GET');
    expect(after.statusCode).toBe(200);
    expect(after.json()).toEqual(chosen.json());
    expect(await storedRows(testDb)).toEqual([{ auto_assign: 'off' }]);
  });
});

describe('PUT /api/agent/team/settings', () => {
  let app: FastifyInstance;
  let admin: LoggedIn;
  let agent: LoggedIn;
  beforeAll(async () => {
    app = await start(await newDatabase(), 'off');
    admin = await createLoggedInAgent(app, { role: 'admin' });
    agent = await createLoggedInAgent(app);
  });

  it('lets every agent read the setting, and only an admin change it', async () => {
    expect((await call(app, agent, 'GET')).json()).toMatchObject({ autoAssign: 'off' });
    const refused = await call(app, agent, 'PUT', { autoAssign: 'round_robin' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('forbidden');
    expect((await call(app, agent, 'GET')).json()).toMatchObject({ autoAssign: 'off' });

    const changed = await call(app, admin, 'PUT', { autoAssign: 'round_robin' });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers['cache-control']).toBe('no-store');
    expect((await call(app, agent, 'GET')).json()).toMatchObject({ autoAssign: 'round_robin', updatedBy: { id: admin.id } });
  });

  it('answers 401 without a session and 403 from another site', async () => {
    for (const method of ['GET', 'PUT'] as const) {
      const res = await call(app, null, method, method === 'PUT' ? { autoAssign: 'off' } : undefined);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
    const foreign = await call(app, admin, 'PUT', { autoAssign: 'off' }, { origin: 'https://evil.example' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('forbidden');
    // A session that ended is no session.
    const relogged = { ...admin, cookie: await loginAgent(app, admin) };
    await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: relogged.cookie } });
    expect((await call(app, relogged, 'PUT', { autoAssign: 'off' })).statusCode).toBe(401);
  });

  it.each([
    ['an unknown mode', { autoAssign: 'random' }],
    ['a boolean', { autoAssign: true }],
    ['no mode', {}],
    ['an unknown field', { autoAssign: 'off', maxPerAgent: 3 }],
  ])('answers 400 with the contract’s error for %s, and changes nothing', async (_label, body) => {
    const before = (await call(app, admin, 'GET')).json();
    const res = await call(app, admin, 'PUT', body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'invalid_request', message: expect.any(String) } });
    expect((await call(app, admin, 'GET')).json()).toEqual(before);
  });
});
