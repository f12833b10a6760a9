import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLoggedInAgent, type TestAgent } from '../../test/agent-factories.ts';
import { useTestApp } from '../../test/test-app.ts';

const ctx = useTestApp({ publicUrl: 'http://localhost:3000' });
type LoggedIn = TestAgent & { cookie: string };
let agent: LoggedIn;
let admin: LoggedIn;

beforeAll(async () => {
  agent = await createLoggedInAgent(ctx.app);
  admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
});

function call(who: LoggedIn | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method, url, payload, headers: { ...(who ? { cookie: who.cookie } : {}), ...headers } });
}
const base = '/api/agent/canned-replies';
const sample = (over: object = {}) => ({
  lang: 'fr',
  shortcut: `retard${randomUUID().slice(0, 6)}`,
  title: 'Retard',
  body: 'Bonjour {{customer.email}}, votre commande {{order.number}} arrive. {{agent.name}}',
  ...over,
});

describe('/api/agent/canned-replies', () => {
  it('lets an admin create, edit and delete a reply, and every agent list them by language', async () => {
    const created = await call(admin, 'POST', base, sample({ shortcut: '  Late-1 ' , lang: 'en', title: 'Late' }));
    expect(created.statusCode).toBe(201);
    const reply = created.json().reply;
    expect(reply).toMatchObject({ lang: 'en', shortcut: 'late-1', title: 'Late' });
    expect(reply.body).toContain('{{customer.email}}');

    const list = await call(agent, 'GET', `${base}?lang=en`);
    expect(list.statusCode).toBe(200);
    expect(list.json().replies.map((r: { id: string }) => r.id)).toContain(reply.id);
    expect((await call(agent, 'GET', `${base}?lang=nl`)).json().replies.map((r: { id: string }) => r.id)).not.toContain(reply.id);

    const edited = await call(admin, 'PATCH', `${base}/${reply.id}`, { title: 'Running late' });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().reply).toMatchObject({ id: reply.id, title: 'Running late', shortcut: 'late-1' });

    expect((await call(admin, 'DELETE', `${base}/${reply.id}`)).statusCode).toBe(204);
    expect((await call(admin, 'DELETE', `${base}/${reply.id}`)).statusCode).toBe(404);
    expect((await call(admin, 'PATCH', `${base}/${reply.id}`, { title: 'x' })).statusCode).toBe(404);
  });

  it('answers 401 without a session, 403 to agents writing and to another site, and writes nothing', async () => {
    expect((await call(null, 'GET', base)).statusCode).toBe(401);
    expect((await call(null, 'POST', base, sample())).statusCode).toBe(401);
    const payload = sample();
    const byAgent = await call(agent, 'POST', base, payload);
    expect(byAgent.statusCode).toBe(403);
    expect(byAgent.json().error.code).toBe('forbidden');
    expect((await call(admin, 'POST', base, payload, { origin: 'https://evil.example' })).statusCode).toBe(403);
    const created = (await call(admin, 'POST', base, sample())).json().reply;
    expect((await call(agent, 'PATCH', `${base}/${created.id}`, { title: 'x' })).statusCode).toBe(403);
    expect((await call(agent, 'DELETE', `${base}/${created.id}`)).statusCode).toBe(403);
    const all = (await call(agent, 'GET', base)).json().replies as Array<{ shortcut: string; title: string }>;
    expect(all.some((r) => r.shortcut === payload.shortcut)).toBe(false);
    expect(all.find((r) => r.shortcut === created.shortcut)?.title).toBe('Retard');
  });

  it('refuses a shortcut taken in the same language with 409, and bad input with 400', async () => {
    const first = (await call(admin, 'POST', base, sample())).json().reply;
    const clash = await call(admin, 'POST', base, sample({ shortcut: first.shortcut }));
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.code).toBe('conflict');
    expect((await call(admin, 'POST', base, sample({ shortcut: first.shortcut, lang: 'nl' }))).statusCode).toBe(201);
    const other = (await call(admin, 'POST', base, sample())).json().reply;
    expect((await call(admin, 'PATCH', `${base}/${other.id}`, { shortcut: first.shortcut })).statusCode).toBe(409);
    for (const bad of [sample({ shortcut: 'two words' }), sample({ lang: 'de' }), sample({ body: '  ' }), sample({ extra: 1 }), sample({ title: 'a'.repeat(101) })]) {
      expect((await call(admin, 'POST', base, bad)).statusCode).toBe(400);
    }
    expect((await call(admin, 'PATCH', `${base}/${other.id}`, {})).statusCode).toBe(400);
    expect((await call(admin, 'PATCH', `${base}/not-a-uuid`, { title: 'x' })).statusCode).toBe(400);
  });
});
