import { z } from 'zod';
import { langSchema } from './common.ts';
import { ticketPrioritySchema, ticketStatusSchema } from './tickets.ts';

/** How many tickets the debug page's database inspector shows (seed §10 showed 10; the issue asks 20). */
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
export type DebugTicket = z.infer<typeof debugTicketSchema>;
export const debugTicketsResponseSchema = z.object({ tickets: z.array(debugTicketSchema) });

/** One client metric's figures (seed §4 `getSummary`): milliseconds for timings, as sent for the others. */
export const metricSummarySchema = z.object({
  name: z.string(),
  count: z.number().int(),
  avg: z.number(),
  min: z.number(),
  max: z.number(),
  p95: z.number(),
});
export type MetricSummary = z.infer<typeof metricSummarySchema>;
/** `GET /api/debug/metrics-summary`: every client metric name received in the window. */
export const metricsSummaryResponseSchema = z.object({ metrics: z.array(metricSummarySchema) });
