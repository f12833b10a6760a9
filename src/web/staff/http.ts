import type { z } from 'zod';
import { apiRequest as send, type RequestOptions } from '../lib/api-client.ts';

export { ApiError } from '../lib/api-client.ts';

/**
 * The shared API client (same-origin, session cookie, Accept-Language) plus a check of the answer
 * against its contract schema, so a server that drifts from the contract fails loudly here rather than
 * somewhere in a component. React Query does the retrying (5xx and network only), so the client does not.
 */
export async function apiRequest<S extends z.ZodType>(
  path: string,
  schema: S | null,
  options: Omit<RequestOptions, 'retry' | 'token'> = {},
): Promise<z.infer<S>> {
  const body = await send<unknown>(path, { ...options, retry: false });
  return schema === null ? (undefined as z.infer<S>) : schema.parse(body);
}

/** Builds `?a=1&b=2` from the defined, non-empty values. */
export function toQueryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}
