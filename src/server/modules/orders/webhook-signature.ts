import { createHmac, timingSafeEqual } from 'node:crypto';
import { ORDER_WEBHOOK_TOLERANCE_SECONDS } from '../../../contracts/orders.ts';
import { AppError } from '../../http/app-error.ts';

const SIGNATURE_PATTERN = /^sha256=([0-9a-f]{64})$/i;
const TIMESTAMP_PATTERN = /^\d{1,12}$/;

/**
 * The signature the ordering system sends in `X-TF-Signature`: `sha256=` and the hex HMAC-SHA256, under
 * the shared secret, of the `X-TF-Timestamp` value (Unix seconds), a dot, and the raw body bytes.
 */
export function signOrderWebhook(secret: string, timestamp: string | number, rawBody: Buffer | string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(rawBody).digest('hex');
  return `sha256=${mac}`;
}

/** Checks the headers before the body is read: a malformed or stale timestamp is refused at once. */
export function checkWebhookTimestamp(timestampHeader: string | undefined, nowMs: number): string {
  if (!timestampHeader || !TIMESTAMP_PATTERN.test(timestampHeader)) {
    throw new AppError('unauthorized', { reason: 'invalid_signature', internal: 'missing or malformed timestamp' });
  }
  if (Math.abs(nowMs / 1000 - Number(timestampHeader)) > ORDER_WEBHOOK_TOLERANCE_SECONDS) {
    throw new AppError('unauthorized', { reason: 'invalid_signature', internal: 'timestamp outside the tolerance' });
  }
  return timestampHeader;
}

/** Verifies the signature of the raw body in constant time; throws 401 when it does not match. */
export function verifyOrderWebhook(options: {
  secret: string;
  timestampHeader: string | undefined;
  signatureHeader: string | undefined;
  rawBody: Buffer;
  nowMs?: number;
}): void {
  const timestamp = checkWebhookTimestamp(options.timestampHeader, options.nowMs ?? Date.now());
  const given = SIGNATURE_PATTERN.exec(options.signatureHeader?.trim() ?? '')?.[1];
  if (!given) throw new AppError('unauthorized', { reason: 'invalid_signature', internal: 'missing or malformed signature' });
  const expected = Buffer.from(signOrderWebhook(options.secret, timestamp, options.rawBody).slice('sha256='.length), 'hex');
  const actual = Buffer.from(given, 'hex');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new AppError('unauthorized', { reason: 'invalid_signature', internal: 'signature mismatch' });
  }
}
