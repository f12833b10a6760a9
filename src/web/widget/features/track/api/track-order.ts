import type { TrackedOrder } from '../../../../../contracts/orders.ts';
import { apiRequest } from '../../../../lib/api-client.ts';

export type { TrackedOrder };

export const orderKey = (number: string, email: string) => ['order', number.toUpperCase(), email.toLowerCase()] as const;

/** 404 when that number and e-mail do not match (the same answer for both, so nothing leaks). */
export function trackOrder(number: string, email: string, signal?: AbortSignal): Promise<{ order: TrackedOrder }> {
  return apiRequest('/api/orders/track', { query: { number, email }, signal, retry: false });
}
