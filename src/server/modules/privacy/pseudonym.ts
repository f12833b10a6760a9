import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/index.ts';
import { readPrivacyKey } from './privacy.repo.ts';

/** The domain of the addresses that replace an erased customer's: reserved, never delivered (RFC 2606). */
export const ERASED_DOMAIN = 'erased.invalid';
/** What an erased message, note or first message of a ticket reads. */
export const ERASED_MARKER = '[erased]';

// The key never changes once the database exists (migration 0020): read once per key holder.
const keys = new WeakMap<object, Promise<string>>();

/**
 * The one-way pseudonym of an address: 32 hex characters of SHA-256(key:address). The same address gives
 * the same pseudonym (analytics keep counting one customer as one), and nobody can compute it from a
 * guessed address without the key that lives in the database. An address that already is an erased
 * ticket's (`<pseudonym>@erased.invalid`) gives its own pseudonym back.
 */
export async function pseudonymOf(q: Queryable & object, email: string): Promise<string> {
  const address = email.trim().toLowerCase();
  const erased = new RegExp(`^([0-9a-f]{32})@${ERASED_DOMAIN.replace('.', '\\.')}$`).exec(address);
  if (erased) return erased[1]!;
  let key = keys.get(q);
  if (!key) {
    key = readPrivacyKey(q);
    keys.set(q, key);
    key.catch(() => keys.delete(q));
  }
  return createHash('sha256').update(`${await key}:${address}`).digest('hex').slice(0, 32);
}

export function erasedAddress(pseudonym: string): string {
  return `${pseudonym}@${ERASED_DOMAIN}`;
}

/** A case-insensitive PostgreSQL regular expression matching the address exactly (every character escaped). */
export function addressPattern(email: string): string {
  return email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
