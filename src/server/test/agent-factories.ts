import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { expect, vi } from 'vitest';
import type { AgentRole } from '../../contracts/agents.ts';
import type { Db } from '../db/index.ts';
import { createAgent as createAgentAccount } from '../modules/agents/agents.service.ts';
import { BUS_CHANNEL_SQL } from '../events/bus.ts';

export type TestAgent = { id: string; email: string; name: string; role: AgentRole; password: string };

/** An agent account written straight to the database (role `agent` unless told otherwise). */
export async function createAgent(
  db: Db,
  overrides: Partial<Pick<TestAgent, 'email' | 'name' | 'role' | 'password'>> = {},
): Promise<TestAgent> {
  const suffix = randomUUID().slice(0, 8);
  const input = {
    email: overrides.email ?? `agent.${suffix}@tastyfood.example`,
    name: overrides.name ?? `Agent ${suffix}`,
    role: overrides.role ?? 'agent',
    password: overrides.password ?? `pw-${randomUUID()}`,
  };
  const { agent } = await createAgentAccount({ q: db, input });
  return { id: agent.id, email: agent.email, name: agent.name, role: agent.role, password: input.password };
}

/** The `Cookie` header value of a session from a Set-Cookie answer, or null. */
export function sessionCookieFrom(setCookie: string | string[] | undefined): string | null {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  for (const c of all) {
    const m = /^(tf_session=[^;]*)/.exec(c);
    if (m) return m[1]!;
  }
  return null;
}

/** Logs an agent in through the API; returns the Cookie header value (`tf_session=…`). */
export async function loginAgent(app: FastifyInstance, agent: Pick<TestAgent, 'email' | 'password'>): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: agent.email, password: agent.password },
  });
  const cookie = sessionCookieFrom(res.headers['set-cookie']);
  if (res.statusCode !== 200 || !cookie) throw new Error(`loginAgent: ${res.statusCode} ${res.body}`);
  return cookie;
}

/** An agent (or admin) account and its logged-in session cookie. */
export async function createLoggedInAgent(
  app: FastifyInstance & { db: Db },
  overrides: Partial<Pick<TestAgent, 'email' | 'name' | 'role' | 'password'>> = {},
): Promise<TestAgent & { cookie: string }> {
  const agent = await createAgent(app.db, overrides);
  return { ...agent, cookie: await loginAgent(app, agent) };
}

/** Runs fn and waits until the bus has delivered an event equal to `expected` (published at commit). */
export async function expectBusEvent(db: Db, expected: Record<string, unknown>, fn: () => Promise<unknown>): Promise<void> {
  const { rows } = await db.query<{ channel: string }>(`SELECT ${BUS_CHANNEL_SQL} AS channel`);
  const events: Array<Record<string, unknown>> = [];
  const unlisten = await db.listen(rows[0]!.channel, (p) => events.push(JSON.parse(p)));
  try {
    await fn();
    await vi.waitFor(() => expect(events).toContainEqual(expected), { timeout: 10_000 });
  } finally {
    await unlisten();
  }
}
