import { z } from 'zod';
import { langSchema } from './common.ts';
import { metricSummaryRowSchema } from './metrics.ts';
import { ticketPrioritySchema, ticketStatusSchema } from './tickets.ts';

/** How many tickets the debug page's database inspector shows (docs/dashboard.md, Debug page). */
export const DEBUG_RECENT_TICKETS = 20;

/** `GET /api/debug/tickets`: the newest tickets as stored, for the database inspector (admins only). */
export const debugTicketSchema = z.object({
  id: z.string(),
  email: z.string(),
  status: ticketStatusSchema,
  priority: ticketPrioritySchema,
  lang: langSchema,
  order_number: z.string().nullable(),
  message_count: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
  last_agent_reply_at: z.string().nullable(),
  resolved_at: z.string().nullable(),
});
export const debugTicketsResponseSchema = z.object({ tickets: z.array(debugTicketSchema) });

/** How many UTC days, today included, the metrics summary covers (`?days=`). */
export const DEBUG_METRICS_MAX_DAYS = 31;
export const metricsSummaryQuerySchema = z.strictObject({
  days: z.coerce.number().int().min(1).max(DEBUG_METRICS_MAX_DAYS).default(1),
});

/**
 * `GET /api/debug/metrics-summary`: the client performance summary (docs/widget.md, performance monitor: count, avg, min, max, p95)
 * per metric name and UTC day, from `from` (inclusive) to `to` (exclusive).
 */
export const metricsSummaryResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  metrics: z.array(metricSummaryRowSchema),
});
export type MetricsSummaryResponse = z.infer<typeof metricsSummaryResponseSchema>;
