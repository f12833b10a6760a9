import type { FastifyInstance } from 'fastify';
import { beforeAll, expect } from 'vitest';
import type { Db } from '../db/index.ts';
import { createLoggedInAgent, type TestAgent } from './agent-factories.ts';

export type LoggedInAgent = TestAgent & { cookie: string };

/**
 * An agent and an admin, each logged in on `ctx.app` in beforeAll (register after useTestApp).
 * Read `staff.agent` and `staff.admin` inside tests.
 */
export function useStaff(ctx: { app: FastifyInstance }): { agent: LoggedInAgent; admin: LoggedInAgent } {
  const staff = {} as { agent: LoggedInAgent; admin: LoggedInAgent };
  beforeAll(async () => {
    staff.agent = await createLoggedInAgent(ctx.app);
    staff.admin = await createLoggedInAgent(ctx.app, { role: 'admin' });
  });
  return staff;
}

/**
 * Classic SQL injection probes, pg_sleep ones included. None may ever run: every query binds values as
 * parameters and every sort/filter is a whitelisted enum, so each string is either stored literally (where
 * it is legitimate text) or refused with 400.
 */
export const SQL_INJECTIONS: ReadonlyArray<readonly [label: string, value: string]> = [
  ['OR 1=1 comment', "' OR 1=1--"],
  ['stacked DROP TABLE', "'; DROP TABLE support_requests;--"],
  ['DROP TABLE tickets', "'; DROP TABLE tickets;--"],
  ['boolean pg_sleep', "1' AND pg_sleep(5)--"],
  ['dollar-quoted pg_sleep', '$$; SELECT pg_sleep(5);$$'],
  ['UNION SELECT of password hashes', "' UNION SELECT password_hash FROM agents--"],
  ['unicode quotes', 'ʼ OR ʼ1ʼ=ʼ1 ‘; DROP TABLE support_messages;-- ’'],
  ['backslash escape', "\\'; SELECT pg_sleep(5);--"],
];

/** The tables an attack could write to or destroy; counted before and after each probe. */
const WATCHED_TABLES = [
  'support_requests',
  'support_messages',
  'support_analytics',
  'email_queue',
  'agent_actions',
  'agents',
  'agent_sessions',
  'orders',
  'client_metrics',
  'ticket_access_tokens',
  'error_logs',
] as const;

export type TableCounts = Record<(typeof WATCHED_TABLES)[number], number>;

/** Row counts of every watched table (a dropped table makes this throw). */
export async function tableCounts(db: Db): Promise<TableCounts> {
  const sql = WATCHED_TABLES.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ');
  const { rows } = await db.query<TableCounts>(`SELECT ${sql}`);
  return rows[0]!;
}

/** Runs `fn` and asserts that no watched table gained or lost a row, except the given growth. */
export async function expectNoWrites(db: Db, fn: () => Promise<unknown>, growth: Partial<TableCounts> = {}): Promise<void> {
  const before = await tableCounts(db);
  await fn();
  const after = await tableCounts(db);
  const expected = { ...before };
  for (const [table, n] of Object.entries(growth)) expected[table as keyof TableCounts] += n;
  expect(after).toEqual(expected);
}

type Res = { statusCode: number; body: string; json: () => unknown };

/** The contract's error shape, with nothing of the server's insides (stack, SQL, file paths) in it. */
export function expectError(res: Res, status: number, code: string): void {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json()).toMatchObject({ error: { code, message: expect.any(String) } });
  expectNoLeak(res);
}

/** No stack trace, SQL text, PostgreSQL error or path in an error answer (which never echoes input). */
export function expectNoLeak(res: Pick<Res, 'body'>): void {
  expect(res.body).not.toMatch(
    /at .*\.ts:\d+|node_modules|\bSELECT\b|\bINSERT INTO\b|syntax error|pg_sleep|DROP TABLE|password_hash|token_hash|sqlstate/i,
  );
}
