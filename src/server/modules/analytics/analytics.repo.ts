import type { Intent } from '../../../contracts/tickets.ts';
import type { Queryable } from '../../db/index.ts';

export const METRIC_TYPES = [
  'ticket_created',
  'message_sent',
  'ticket_resolved',
  'agent_response',
  'user_satisfaction',
  'timeout_escalation',
] as const;
export type MetricType = (typeof METRIC_TYPES)[number];

export type AnalyticsEvent = {
  metricType: MetricType;
  requestId: string;
  agentId?: string | null;
  userIntent?: Intent | null;
  responseTimeSeconds?: number | null;
  resolutionTimeSeconds?: number | null;
  metadata?: Record<string, unknown> | null;
};

/** Records one row of support_analytics, inside the caller's transaction. */
export async function insertAnalyticsEvent(q: Queryable, e: AnalyticsEvent): Promise<void> {
  await q.query(
    `INSERT INTO support_analytics
       (metric_type, request_id, agent_id, user_intent, response_time_seconds, resolution_time_seconds, metadata)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      e.metricType,
      e.requestId,
      e.agentId ?? null,
      e.userIntent ?? null,
      e.responseTimeSeconds ?? null,
      e.resolutionTimeSeconds ?? null,
      e.metadata ? JSON.stringify(e.metadata) : null,
    ],
  );
}
