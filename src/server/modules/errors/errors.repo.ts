import type { Queryable } from '../../db/index.ts';

/** Keeps an unexpected server error in error_logs (seed §5), with the request's context. */
export async function recordServerError(q: Queryable, err: unknown, context: Record<string, unknown>): Promise<void> {
  const e = err instanceof Error ? err : new Error(String(err));
  await q.query(
    `INSERT INTO error_logs (source, error_type, message, context, stack) VALUES ('server', $1, $2, $3, $4)`,
    [e.name.slice(0, 200), e.message.slice(0, 2000), JSON.stringify(context), e.stack?.slice(0, 8000) ?? null],
  );
}
