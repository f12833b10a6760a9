import type { Queryable } from '../../db/index.ts';
import { EMAIL_STATUSES, readEmailQueueStats } from './email.repo.ts';
import type { EmailWorkerCounters } from './email-worker.ts';

/** One sample, in the shape a Prometheus gauge or counter takes (prom-client: `set(labels, value)`). */
export type EmailMetricSample = {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  labels: Record<string, string>;
  value: number;
};

/**
 * The e-mail figures for monitoring: queue depth by status (from the database, so the same on every
 * instance), what is due, waiting for a retry, the oldest pending age, and, given this process's
 * worker, its delivery outcomes since start. Alert on `tf_email_queue_oldest_pending_seconds` and on
 * `tf_email_queue_emails{status="failed"|"bounced"}` growing.
 */
export async function readEmailMetrics(q: Queryable, worker?: { counters: EmailWorkerCounters }): Promise<EmailMetricSample[]> {
  const stats = await readEmailQueueStats(q, 0);
  const samples: EmailMetricSample[] = EMAIL_STATUSES.map((status) => ({
    name: 'tf_email_queue_emails',
    help: 'E-mails in the outbox, by status',
    type: 'gauge',
    labels: { status },
    value: stats.byStatus[status],
  }));
  samples.push(
    { name: 'tf_email_queue_due', help: 'Pending e-mails whose time has come', type: 'gauge', labels: {}, value: stats.due },
    { name: 'tf_email_queue_retrying', help: 'Pending e-mails that failed at least once', type: 'gauge', labels: {}, value: stats.retrying },
    {
      name: 'tf_email_queue_oldest_pending_seconds',
      help: 'Age of the oldest pending e-mail',
      type: 'gauge',
      labels: {},
      value: stats.oldestPendingSeconds,
    },
  );
  if (worker) {
    for (const [outcome, value] of Object.entries(worker.counters)) {
      samples.push({
        name: 'tf_email_deliveries_total',
        help: 'Delivery attempts of this process by outcome (sent, retried, failed, bounced, leaseLost)',
        type: 'counter',
        labels: { outcome },
        value,
      });
    }
  }
  return samples;
}
