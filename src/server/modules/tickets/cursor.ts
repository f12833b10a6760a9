import { AppError } from '../../http/app-error.ts';

/**
 * The opaque cursor of a messages page: the `seq` of the oldest message already shown. `seq` is
 * unique per ticket, so the next page starts exactly after it however many messages share a timestamp.
 */
export function encodeCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ s: seq }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): number {
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown };
    if (Number.isSafeInteger(value.s) && (value.s as number) >= 1 && (value.s as number) <= 2_147_483_647) {
      return value.s as number;
    }
  } catch {
    // fall through: any undecodable cursor is the caller's mistake
  }
  throw new AppError('invalid_request', { reason: 'invalid_cursor' });
}
