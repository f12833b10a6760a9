import type { Queryable } from '../../db/index.ts';

/** Keeps an unexpected server error in error_logs (docs/architecture.md, Errors), with the request's context. */
export async function recordServerError(q: Queryable, err: unknown, context: Record<string, unknown>): Promise<void> {
  const e = err instanceof Error ? err : new Error(String(err));
  await q.query(
    `INSERT INTO error_logs (source, error_type, message, context, stack) VALUES ('server', $1, $2, $3, $4)`,
    [e.name.slice(0, 200), e.message.slice(0, 2000), JSON.stringify(context), e.stack?.slice(0, 8000) ?? null],
  );
}

/** Keeps a browser's error report in error_logs with source 'client'. */
export async function recordClientError(
  q: Queryable,
  e: { type: string; message: string; stack: string | null; context: Record<string, unknown> },
): Promise<void> {
  await q.query(
    `INSERT INTO error_logs (source, error_type, message, context, stack) VALUES ('client', $1, $2, $3, $4)`,
    [e.type, e.message, JSON.stringify(e.context), e.stack],
  );
}

/** Deletes at most `limit` errors logged before `cutoff`, oldest first (idx_error_logs_created). */
export async function deleteErrorLogsBefore(q: Queryable, cutoff: Date, limit: number): Promise<number> {
  const res = await q.query(
    `DELETE FROM error_logs WHERE id IN (
       SELECT id FROM error_logs WHERE created_at < $1 ORDER BY created_at LIMIT $2)`,
    [cutoff.toISOString(), limit],
  );
  return res.rowCount;
}

/** Errors logged in [start, end), by source (both sources always present); reads idx_error_logs_created. */
export async function countErrors(q: Queryable, range: { start: Date; end: Date }): Promise<{ server: number; client: number }> {
  const { rows } = await q.query<{ server: number; client: number }>(
    `SELECT count(*) FILTER (WHERE source = 'server')::int AS server,
            count(*) FILTER (WHERE source = 'client')::int AS client
       FROM error_logs
      WHERE created_at >= $1 AND created_at < $2`,
    [range.start.toISOString(), range.end.toISOString()],
  );
  return { server: Number(rows[0]!.server), client: Number(rows[0]!.client) };
}
