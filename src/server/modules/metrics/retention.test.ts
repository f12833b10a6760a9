import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/test-app.ts';
import { runRetentionOnce } from './retention.ts';

const ctx = useTestApp();
const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = new Date();
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS).toISOString();

async function addMetric(name: string, receivedDaysAgo: number) {
  await ctx.testDb.db.query(`INSERT INTO client_metrics (name, value, client_ts, received_at) VALUES ($1, 1, $2, $2)`, [name, daysAgo(receivedDaysAgo)]);
}
async function addError(message: string, createdDaysAgo: number, source = 'client') {
  await ctx.testDb.db.query(`INSERT INTO error_logs (source, error_type, message, created_at) VALUES ($1, 'Error', $2, $3)`, [
    source,
    message,
    daysAgo(createdDaysAgo),
  ]);
}
const metricNames = async () => (await ctx.testDb.db.query<{ name: string }>('SELECT name FROM client_metrics ORDER BY name')).rows.map((r) => r.name);
const errorMessages = async () => (await ctx.testDb.db.query<{ message: string }>('SELECT message FROM error_logs ORDER BY message')).rows.map((r) => r.message);

describe('runRetentionOnce (issue 13: client metrics and error reports were kept forever)', () => {
  it('deletes exactly the rows past their retention period, in batches', async () => {
    for (const [i, days] of [31, 45, 400, 30.01, 31].entries()) await addMetric(`old_${i}`, days);
    for (const [i, days] of [29.99, 1, 0].entries()) await addMetric(`kept_${i}`, days);
    await addError('old client error', 91);
    await addError('old server error', 365, 'server');
    await addError('kept client error', 89.99);
    await addError('kept server error', 2, 'server');

    const result = await runRetentionOnce({ db: ctx.testDb.db, clientMetricsDays: 30, errorLogsDays: 90, now: NOW, batchSize: 2 });

    expect(result).toEqual({ ran: true, clientMetrics: 5, errorLogs: 2 });
    expect(await metricNames()).toEqual(['kept_0', 'kept_1', 'kept_2']);
    expect(await errorMessages()).toEqual(['kept client error', 'kept server error']);
    expect(await runRetentionOnce({ db: ctx.testDb.db, clientMetricsDays: 30, errorLogsDays: 90, now: NOW })).toEqual({
      ran: true,
      clientMetrics: 0,
      errorLogs: 0,
    });
  });

  it('lets only one of two runners started at once do the work', async () => {
    for (let i = 0; i < 3; i++) await addMetric(`race_${i}`, 60);
    let second: Awaited<ReturnType<typeof runRetentionOnce>> | undefined;
    const options = { db: ctx.testDb.db, clientMetricsDays: 30, errorLogsDays: 90, now: NOW };
    // The first runner holds the lock while the second one tries: the second must give up, not wait or delete.
    const first = await runRetentionOnce({
      ...options,
      whileLocked: async () => {
        second = await runRetentionOnce(options);
      },
    });
    expect(second).toEqual({ ran: false });
    expect(first).toEqual({ ran: true, clientMetrics: 3, errorLogs: 0 });
    expect((await metricNames()).filter((n) => n.startsWith('race_'))).toEqual([]);
  });
});
