import type { AgentAccount, CreateAgentBody, UpdateAgentBody } from '../../../contracts/agents.ts';
import type { Config } from '../../config.ts';
import type { Db, Queryable } from '../../db/index.ts';
import { AppError } from '../../http/app-error.ts';
import { BUS_EVENTS, publishEvent } from '../../events/bus.ts';
import {
  clearLoginAttempts,
  deleteAgentSessions,
  deleteExpiredSessions,
  deleteSession,
  findAgentByEmail,
  findDeviceAccountEmail,
  insertAgent,
  insertSession,
  listAgents,
  lockAgent,
  countActiveAdmins,
  registerLoginAttempt,
  toAgentAccount,
  toSessionAgent,
  touchLastLogin,
  updateAgentRow,
  upsertAgentDevice,
  type AgentRow,
} from './agents.repo.ts';
import { generatePassword, hashPassword, verifyAgainstDummy, verifyPassword } from './passwords.ts';
import { DEVICE_MAX_AGE_SECONDS, deviceIdFromCookieHeader } from './known-device.ts';
import { hashSessionId, newSessionId, sessionIdFromCookieHeader, type SessionAgent } from './session-agent.ts';

// Role changes and disabling are serialised, so that two admins demoting each other cannot leave none.
const ADMIN_CHANGES_LOCK = 'agents:admin-changes';

export type SessionSettings = Pick<
  Config,
  'sessionIdleSeconds' | 'sessionAbsoluteSeconds' | 'loginMaxFailuresPerAccount' | 'loginMaxFailuresPerIp' | 'loginWindowSeconds'
>;

/**
 * Checks an agent's credentials and opens a new session (a new id at every login; the session the
 * request carried, if any, ends). Failures are limited per (account, client address) and per client
 * address, never per account alone: strangers failing on an admin's address from anywhere spend only
 * their own budget, and never lock the admin out. A browser that logged in to the account before (its
 * device cookie) is counted on its own, whatever address it comes from. Failures answer the same, in
 * content and in time, whether or not the address has an account.
 * Returns the device id to (re)set in the browser's device cookie.
 */
export async function login(options: {
  db: Db;
  config: SessionSettings;
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  cookieHeader: string | undefined;
}): Promise<{ agent: SessionAgent; sessionId: string; deviceId: string }> {
  const { db, config } = options;
  const email = options.email.toLowerCase();
  const presentedDevice = deviceIdFromCookieHeader(options.cookieHeader);
  const knownDevice =
    presentedDevice !== null &&
    (await findDeviceAccountEmail(db, hashSessionId(presentedDevice), DEVICE_MAX_AGE_SECONDS)) === email;
  const ownKey = knownDevice ? `device:${hashSessionId(presentedDevice)}` : `account-ip:${email} ${options.ip ?? 'unknown'}`;
  const keys = [{ key: ownKey, max: config.loginMaxFailuresPerAccount }];
  if (!knownDevice && options.ip) keys.push({ key: `ip:${options.ip}`, max: config.loginMaxFailuresPerIp });
  const attempt = await db.transaction((tx) => registerLoginAttempt(tx, keys, config.loginWindowSeconds));
  if ('retryAfterSeconds' in attempt) {
    throw new AppError('rate_limited', { reason: 'login_limit', retryAfterSeconds: attempt.retryAfterSeconds });
  }

  const row = email.length <= 254 ? await findAgentByEmail(db, email) : null;
  const valid =
    row && !row.disabled ? await verifyPassword(row.password_hash, options.password) : await verifyAgainstDummy(options.password);
  if (!row || !valid) throw new AppError('unauthorized', { reason: 'invalid_credentials' });

  const session = newSessionId();
  const deviceId = knownDevice ? presentedDevice : newSessionId().id;
  const previous = sessionIdFromCookieHeader(options.cookieHeader);
  await db.transaction(async (tx) => {
    await clearLoginAttempts(tx, attempt.ids, ownKey);
    if (previous) await deleteSession(tx, hashSessionId(previous));
    await deleteExpiredSessions(tx, row.id);
    await insertSession(tx, {
      idHash: session.hash,
      agentId: row.id,
      idleSeconds: config.sessionIdleSeconds,
      absoluteSeconds: config.sessionAbsoluteSeconds,
      ip: options.ip,
      userAgent: options.userAgent,
    });
    await upsertAgentDevice(tx, hashSessionId(deviceId), row.id, DEVICE_MAX_AGE_SECONDS);
    await touchLastLogin(tx, row.id);
  });
  return { agent: toSessionAgent(row), sessionId: session.id, deviceId };
}

/**
 * Ends the session the Cookie header carries (nothing to do without one), and closes the sockets opened
 * with it on every instance (the agent's other sessions keep theirs).
 */
export async function logout(options: { db: Db; cookieHeader: string | undefined }): Promise<void> {
  const id = sessionIdFromCookieHeader(options.cookieHeader);
  if (!id) return;
  await options.db.transaction(async (tx) => {
    const agentId = await deleteSession(tx, hashSessionId(id));
    if (agentId) await publishEvent(tx, { type: BUS_EVENTS.agentRevoked, agentId, recheck: true });
  });
}

/** Creates an account; without a password, one is generated and returned (once). 409 when the address is taken. */
export async function createAgent(options: {
  q: Queryable;
  input: Pick<CreateAgentBody, 'email' | 'name' | 'role'> & { password?: string };
}): Promise<{ agent: AgentRow; password?: string }> {
  const generated = options.input.password === undefined ? generatePassword() : undefined;
  const passwordHash = await hashPassword(options.input.password ?? generated!);
  const row = await insertAgent(options.q, {
    email: options.input.email,
    name: options.input.name,
    role: options.input.role,
    passwordHash,
  });
  if (!row) throw new AppError('conflict', { reason: 'agent_exists' });
  return generated ? { agent: row, password: generated } : { agent: row };
}

export async function listAgentAccounts(db: Db): Promise<AgentAccount[]> {
  return (await listAgents(db)).map(toAgentAccount);
}

/**
 * An admin's change to an account. The last active admin can be neither demoted nor disabled (409).
 * Disabling or a new password ends every session of the agent; disabling or demoting also tells every
 * instance (bus) to close the agent's sockets, which then reconnect, or not, with what the agent now is.
 */
export async function updateAgent(options: { db: Db; agentId: string; changes: UpdateAgentBody }): Promise<AgentAccount> {
  const { db, agentId, changes } = options;
  const passwordHash = changes.password !== undefined ? await hashPassword(changes.password) : undefined;
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [ADMIN_CHANGES_LOCK]);
    const before = await lockAgent(tx, agentId);
    if (!before) throw new AppError('not_found', { reason: 'agent_not_found' });
    const losesAdmin =
      before.role === 'admin' && !before.disabled && (changes.role === 'agent' || changes.disabled === true);
    if (losesAdmin && (await countActiveAdmins(tx)) <= 1) throw new AppError('conflict', { reason: 'last_admin' });

    const after = await updateAgentRow(tx, agentId, {
      name: changes.name,
      role: changes.role,
      disabled: changes.disabled,
      passwordHash,
    });
    const disabledNow = !before.disabled && after.disabled;
    if (disabledNow || passwordHash !== undefined) await deleteAgentSessions(tx, agentId);
    if (disabledNow || passwordHash !== undefined || (before.role === 'admin' && after.role === 'agent')) {
      await publishEvent(tx, { type: BUS_EVENTS.agentRevoked, agentId });
    }
    return toAgentAccount(after);
  });
}
