import { randomBytes } from 'node:crypto';

/** The native argon2 loads at the first password checked or hashed, not at every start (bench/startup.bench.ts). */
let argon2: Promise<typeof import('@node-rs/argon2')> | null = null;
const loadArgon2 = () => (argon2 ??= import('@node-rs/argon2'));

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): about 20–50 ms a hash on one core.
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** An argon2id hash in PHC format (parameters and salt inside). */
export async function hashPassword(password: string): Promise<string> {
  const { hash } = await loadArgon2();
  return hash(password, ARGON2_OPTIONS);
}

/** True when the password matches the hash; a malformed hash is a mismatch, never an exception. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  const { verify } = await loadArgon2();
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | null = null;

/**
 * Spends the time a real verification takes, for logins naming no (usable) account: the answer's
 * timing then does not tell whether an e-mail address has an account.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(16).toString('base64url'));
  await verifyPassword(await dummyHash, password);
  return false;
}

/** A random password for a new account: 20 characters of base64url, about 120 bits. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}
