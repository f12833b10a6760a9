import { z } from 'zod';
import { attachmentIdsSchema } from './attachments.ts';
import { emailSchema, langSchema, textSchema, uuidSchema } from './common.ts';
import { customerOrderSchema, orderSchema } from './orders.ts';
import {
  INTENTS,
  LIMITS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  messageBodySchema,
  messageSchema,
  ticketPrioritySchema,
  ticketSchema,
  ticketStatusSchema,
} from './tickets.ts';

export const AGENT_ROLES = ['agent', 'admin'] as const;
export const agentRoleSchema = z.enum(AGENT_ROLES);
export type AgentRole = z.infer<typeof agentRoleSchema>;

/** The session cookie's name, fixed here so the web pages, realtime and tests agree. */
export const SESSION_COOKIE = 'tf_session';

/** Limits of the agent side, each defined once. */
export const AGENT_LIMITS = {
  nameMaxChars: 100,
  passwordMinChars: 10,
  passwordMaxChars: 256,
  agentNoteMaxChars: 2000,
  searchMaxChars: 200,
  analyticsMaxDays: 366,
  analyticsDefaultDays: 30,
  /** Ratings listed (newest first) by the analytics page for a range. */
  analyticsRatings: 200,
  /** Messages returned with a ticket's detail; older ones through the messages route's cursor. */
  detailMessages: 50,
  maxPage: 100_000,
} as const;

/** The logged-in agent as the API shows it (`/api/auth/login`, `/api/auth/me`). */
export const agentSchema = z.object({
  id: uuidSchema,
  email: z.string(),
  name: z.string(),
  role: agentRoleSchema,
});
export type Agent = z.infer<typeof agentSchema>;

/** An agent account as admins see it. */
export const agentAccountSchema = agentSchema.extend({
  disabled: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
  last_login_at: z.string().nullable(),
});
export type AgentAccount = z.infer<typeof agentAccountSchema>;

const passwordSchema = textSchema(AGENT_LIMITS.passwordMaxChars).refine(
  (s) => [...s].length >= AGENT_LIMITS.passwordMinChars,
  { message: `must have at least ${AGENT_LIMITS.passwordMinChars} characters` },
);
const agentNameSchema = textSchema(AGENT_LIMITS.nameMaxChars)
  .trim()
  .refine((s) => s.length > 0, { message: 'must not be empty' });

// ---- /api/auth ----

/** Any password is checked at login (policies apply when one is set, not when one is typed). */
export const loginBodySchema = z.strictObject({
  // textSchema: a NUL byte would reach PostgreSQL (which refuses it) as a 500 rather than a 400.
  email: textSchema(254).trim().transform((s) => s.toLowerCase()),
  password: z.string().min(1).max(AGENT_LIMITS.passwordMaxChars),
});
export type LoginBody = z.infer<typeof loginBodySchema>;
export const agentResponseSchema = z.object({ agent: agentSchema });

// ---- /api/admin/agents ----

export const createAgentBodySchema = z.strictObject({
  email: emailSchema,
  name: agentNameSchema,
  role: agentRoleSchema.default('agent'),
  /** Omitted: a password is generated and returned once in the answer. */
  password: passwordSchema.optional(),
});
export type CreateAgentBody = z.infer<typeof createAgentBodySchema>;
export const createAgentResponseSchema = z.object({
  agent: agentAccountSchema,
  /** Present only when the server generated the password: shown this once, never stored in clear. */
  password: z.string().optional(),
});

export const updateAgentBodySchema = z
  .strictObject({
    name: agentNameSchema.optional(),
    role: agentRoleSchema.optional(),
    disabled: z.boolean().optional(),
    /** A new password set by an admin: every session of that agent ends. */
    password: passwordSchema.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'at least one field is required' });
export type UpdateAgentBody = z.infer<typeof updateAgentBodySchema>;
export const agentAccountResponseSchema = z.object({ agent: agentAccountSchema });
export const agentAccountListSchema = z.object({ agents: z.array(agentAccountSchema) });
export const agentParamsSchema = z.strictObject({ id: uuidSchema });

// ---- /api/agent/tickets ----

export const QUEUE_SORTS = ['created_at', 'updated_at', 'priority'] as const;
export const SORT_ORDERS = ['asc', 'desc'] as const;
export const QUEUE_STATUS_FILTERS = [...TICKET_STATUSES, 'all'] as const;

export const ticketQueueQuerySchema = z.strictObject({
  status: z.enum(QUEUE_STATUS_FILTERS).default('open'),
  /** An empty value (`priority=` from a cleared select) means no filter. */
  priority: z.preprocess((v) => (v === '' ? undefined : v), ticketPrioritySchema.optional()),
  /** Searched in the e-mail, the opening message and every message of the ticket (case-insensitive). */
  q: textSchema(AGENT_LIMITS.searchMaxChars).trim().optional(),
  /** `priority` sorts by urgency (urgent > high > normal > low), then by creation time. */
  /** `me`: the caller's tickets, `none`: unassigned ones, an agent's id: that agent's; absent: all. */
  assignee: z.union([z.enum(['me', 'none']), uuidSchema]).optional(),
  sort: z.enum(QUEUE_SORTS).default('created_at'),
  order: z.enum(SORT_ORDERS).default('desc'),
  page: z.coerce.number().int().min(1).max(AGENT_LIMITS.maxPage).default(1),
  limit: z.coerce.number().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault),
});
export type TicketQueueQuery = z.infer<typeof ticketQueueQuerySchema>;

/** A ticket as agents see it: the customer's view plus agent-only fields. */
export const agentTicketSchema = ticketSchema.extend({
  resolved_at: z.string().nullable(),
  last_message_seq: z.number().int(),
  /** The agent who handles the ticket; null: unassigned. */
  assignee_id: z.string().nullable(),
  /** The ticket this one was merged into (it is then closed and holds no message); null: not merged. */
  merged_into: z.string().nullable(),
});
export type AgentTicket = z.infer<typeof agentTicketSchema>;

/** A message as agents see it: which agent wrote it. */
export const agentMessageSchema = messageSchema.extend({ agent_id: z.string().nullable() });
export type AgentMessage = z.infer<typeof agentMessageSchema>;

export const paginationSchema = z.object({
  page: z.number().int(),
  limit: z.number().int(),
  total: z.number().int(),
  totalPages: z.number().int(),
});
export const ticketQueueResponseSchema = z.object({
  tickets: z.array(agentTicketSchema),
  pagination: paginationSchema,
});
export type TicketQueueResponse = z.infer<typeof ticketQueueResponseSchema>;

// ---- Internal notes and the ticket's timeline ----

/** POST /api/agent/tickets/:id/notes: a note only agents ever read. */
export const noteBodySchema = z.strictObject({ body: textSchema(AGENT_LIMITS.agentNoteMaxChars).trim().min(1) });
export type NoteBody = z.infer<typeof noteBodySchema>;

/** Who did something on the timeline: null when it was the server (escalation, a disabled account). */
export const timelineAgentSchema = z.object({ id: z.string(), name: z.string() }).nullable();
export type TimelineAgent = z.infer<typeof timelineAgentSchema>;

const timelineBase = { id: z.string(), created_at: z.string(), agent: timelineAgentSchema };
export const noteSchema = z.object({ type: z.literal('note'), ...timelineBase, body: z.string() });
export type Note = z.infer<typeof noteSchema>;
export const timelineEntrySchema = z.discriminatedUnion('type', [
  noteSchema,
  z.object({ type: z.literal('status'), ...timelineBase, from: ticketStatusSchema, to: ticketStatusSchema }),
  z.object({ type: z.literal('priority'), ...timelineBase, from: ticketPrioritySchema, to: ticketPrioritySchema }),
  z.object({
    type: z.literal('assignment'),
    ...timelineBase,
    from: timelineAgentSchema,
    to: timelineAgentSchema,
    /** `agent_disabled`: the server unassigned the ticket when its agent's account was disabled. */
    reason: z.string().nullable(),
  }),
  z.object({ type: z.literal('escalation'), ...timelineBase, from: ticketPrioritySchema, to: ticketPrioritySchema, waited_minutes: z.number().int() }),
  z.object({ type: z.literal('rating'), ...timelineBase, score: z.number().int(), comment: z.string().nullable() }),
  /** On both tickets of a merge: `from` (closed, its messages moved) was merged into `into` (kept). */
  z.object({ type: z.literal('merge'), ...timelineBase, from: z.string(), into: z.string() }),
]);
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;
export const noteResponseSchema = z.object({ note: noteSchema });

/** A ticket with its newest messages (oldest first); `nextCursor` pages back through the older ones. */
export const agentTicketDetailSchema = z.object({
  ticket: agentTicketSchema,
  messages: z.array(agentMessageSchema),
  hasMore: z.boolean(),
  nextCursor: z.string().nullable(),
  /** The order the customer named, only when it was placed with the ticket's e-mail (docs/orders.md). */
  order: orderSchema.nullable(),
  /** Internal notes and events, oldest first: shown between the messages, never to the customer. */
  timeline: z.array(timelineEntrySchema),
});
export type AgentTicketDetail = z.infer<typeof agentTicketDetailSchema>;

export const agentMessagePageSchema = z.object({
  messages: z.array(agentMessageSchema),
  hasMore: z.boolean(),
  nextCursor: z.string().nullable(),
});

export const updateTicketBodySchema = z
  .strictObject({
    status: ticketStatusSchema.optional(),
    priority: ticketPrioritySchema.optional(),
    agent_note: textSchema(AGENT_LIMITS.agentNoteMaxChars).trim().min(1).optional(),
    /** An agent's id to assign the ticket to (an active account), or null to unassign it. */
    assignee_id: uuidSchema.nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'at least one of status, priority, agent_note, assignee_id is required',
  });
export type UpdateTicketBody = z.infer<typeof updateTicketBodySchema>;
export const agentTicketResponseSchema = z.object({ ticket: agentTicketSchema });

/**
 * An agent's reply. `clientId` (optional, a uuid the dashboard draws once per draft) makes a resend safe:
 * the same clientId again answers 200 with the stored reply, and no second reply or e-mail is made.
 */
export const agentReplyBodySchema = z.strictObject({
  body: messageBodySchema,
  clientId: uuidSchema.optional(),
  /** Uploads of agents on this ticket (POST /api/agent/tickets/:id/attachments) that the reply carries. */
  attachmentIds: attachmentIdsSchema.optional(),
});
export const agentMessageResponseSchema = z.object({ message: agentMessageSchema });

/**
 * What `agent_actions.action` records: an agent's PATCH (details: {before, after, note}), or the timeout
 * escalation (no agent; details: {from, to, waited_minutes}).
 */
export const AGENT_ACTIONS = {
  statusChange: 'status_change',
  priorityChange: 'priority_change',
  update: 'update',
  note: 'note',
  /** details: {from, to} (agent ids or null), `reason: 'agent_disabled'` when the server unassigned. */
  assignment: 'assignment',
  timeoutEscalation: 'timeout_escalation',
  /** details: {from, into} (ticket ids), written on both tickets of a merge. */
  merge: 'merge',
} as const;
export type AgentAction = (typeof AGENT_ACTIONS)[keyof typeof AGENT_ACTIONS];

// ---- The customer panel and merging (issue 16) ----

/** How many of a customer's other tickets and orders the panel lists (newest first). */
export const CUSTOMER_PANEL_LIMITS = { tickets: 20, orders: 10 } as const;

/** GET /api/agent/tickets/:id/customer: the customer's other tickets (same e-mail, any case) and orders. */
export const customerPanelSchema = z.object({
  email: z.string(),
  tickets: z.array(agentTicketSchema),
  orders: z.array(customerOrderSchema),
});
export type CustomerPanel = z.infer<typeof customerPanelSchema>;

/**
 * POST /api/agent/tickets/:id/merge `{ticket_id}`: ticket `ticket_id` is merged into `:id` (kept): its
 * messages join the kept conversation in time order, it is closed with `merged_into`, its tokens open the
 * kept ticket. 409 for another customer's ticket, the same ticket, or a ticket already merged.
 */
export const mergeTicketsBodySchema = z.strictObject({ ticket_id: uuidSchema });
export type MergeTicketsBody = z.infer<typeof mergeTicketsBodySchema>;
export const mergeTicketsResponseSchema = z.object({ ticket: agentTicketSchema, merged: agentTicketSchema });
export type MergeTicketsResponse = z.infer<typeof mergeTicketsResponseSchema>;

// ---- /api/agent/analytics ----

/** A UTC day `YYYY-MM-DD`, or an ISO 8601 date-time with `Z` or an offset (`2026-12-01T00:00:00Z`, `…+01:00`). */
export const analyticsBoundSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
export const analyticsQuerySchema = z.strictObject({
  /** Start: a day counts from its 00:00 UTC, a date-time from that instant; default: 29 days before `to`. */
  from: analyticsBoundSchema.optional(),
  /** End: a day is included whole (up to the next 00:00 UTC), a date-time is the exclusive end instant; default: today. */
  to: analyticsBoundSchema.optional(),
});
export type AnalyticsQuery = z.infer<typeof analyticsQuerySchema>;

const countsOf = <T extends readonly [string, ...string[]]>(keys: T) =>
  z.object(Object.fromEntries(keys.map((k) => [k, z.number().int()])) as Record<T[number], z.ZodNumber>);

/**
 * Figures over tickets created (and analytics rows recorded) from `from` 00:00 UTC to the end of `to`.
 * Averages are null when nothing was measured in the range.
 */
export const analyticsResponseSchema = z.object({
  /** `from`/`to`: the first and last UTC day covered; `start`/`end`: the exact instants, `end` excluded. */
  range: z.object({ from: z.string(), to: z.string(), start: z.string(), end: z.string() }),
  totalTickets: z.number().int(),
  statusBreakdown: countsOf(TICKET_STATUSES),
  priorityBreakdown: countsOf(TICKET_PRIORITIES),
  /** Average first-response time (seconds) of the first agent replies recorded in the range. */
  avgResponseTimeSeconds: z.number().nullable(),
  p90ResponseTimeSeconds: z.number().nullable(),
  responseCount: z.number().int(),
  avgResolutionTimeSeconds: z.number().nullable(),
  resolvedCount: z.number().int(),
  /** Share (0..1) of the tickets created in the range that are now resolved or closed. */
  resolutionRate: z.number().nullable(),
  ticketsPerDay: z.array(z.object({ date: z.string(), count: z.number().int() })),
  /** From the `ticket_created` rows; a ticket without a classified intent counts as `unknown`. */
  intentBreakdown: countsOf(INTENTS),
  csat: z.object({
    average: z.number().nullable(),
    count: z.number().int(),
    distribution: z.object({ 1: z.number().int(), 2: z.number().int(), 3: z.number().int(), 4: z.number().int(), 5: z.number().int() }),
  }),
  /**
   * The chat bot over the chat threads started in the range (issue 15): threads, questions, questions
   * answered from the FAQ, 👍/👎, threads handed to a person, and `deflected`: threads that got an answer
   * and were never handed over; `rate` = deflected / threads (null without threads).
   */
  deflection: z.object({
    threads: z.number().int(),
    questions: z.number().int(),
    answered: z.number().int(),
    helpful: z.number().int(),
    notHelpful: z.number().int(),
    handedOver: z.number().int(),
    deflected: z.number().int(),
    rate: z.number().nullable(),
  }),
  /**
   * Per agent over the range (issue 16): first responses and their average time (seconds), tickets
   * resolved and their average resolution time, replies sent. `name` is null for a deleted account.
   */
  perAgent: z.array(
    z.object({
      agent_id: z.string(),
      name: z.string().nullable(),
      firstResponses: z.number().int(),
      avgFirstResponseSeconds: z.number().nullable(),
      resolved: z.number().int(),
      avgResolutionSeconds: z.number().nullable(),
      replies: z.number().int(),
    }),
  ),
  /** Tickets escalated for lack of a reply in the range. */
  escalations: z.number().int(),
  /** Messages written each UTC day of the range: all, by customers, by agents. */
  messagesPerDay: z.array(z.object({ date: z.string(), count: z.number().int(), customer: z.number().int(), agent: z.number().int() })),
  /** The ratings given in the range, newest first (at most AGENT_LIMITS.analyticsRatings), with their comments. */
  ratings: z.array(z.object({ ticket_id: z.string(), score: z.number().int(), comment: z.string().nullable(), created_at: z.string() })),
});
export type AnalyticsResponse = z.infer<typeof analyticsResponseSchema>;

// ---- /api/tickets/:id/rating (customer side) ----

export const RATING_LIMITS = { commentMaxChars: 1000 } as const;
export const ratingBodySchema = z.strictObject({
  score: z.number().int().min(1).max(5),
  comment: textSchema(RATING_LIMITS.commentMaxChars).trim().optional(),
});
export type RatingBody = z.infer<typeof ratingBodySchema>;
export const ratingResponseSchema = z.object({
  rating: z.object({ score: z.number().int(), comment: z.string().nullable(), created_at: z.string() }),
});

// ---- /api/agent/canned-replies ----

export const CANNED_REPLY_LIMITS = { shortcutMaxChars: 40, titleMaxChars: 100, bodyMaxChars: 5000 } as const;

/**
 * A reply an admin wrote once for the team: typed `/shortcut` in the reply box, in the ticket's language.
 * Its body may hold `{{customer.email}}`, `{{order.number}}`, `{{agent.name}}`, filled in on insertion.
 */
export const cannedReplySchema = z.object({
  id: z.string(),
  lang: langSchema,
  shortcut: z.string(),
  title: z.string(),
  body: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type CannedReply = z.infer<typeof cannedReplySchema>;

const shortcutSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, _ and - only')
  .max(CANNED_REPLY_LIMITS.shortcutMaxChars);
const cannedTitleSchema = textSchema(CANNED_REPLY_LIMITS.titleMaxChars).trim().min(1);
const cannedBodySchema = textSchema(CANNED_REPLY_LIMITS.bodyMaxChars).trim().min(1);

export const cannedReplyQuerySchema = z.strictObject({ lang: langSchema.optional() });
export const createCannedReplyBodySchema = z.strictObject({
  lang: langSchema,
  shortcut: shortcutSchema,
  title: cannedTitleSchema,
  body: cannedBodySchema,
});
export type CreateCannedReplyBody = z.infer<typeof createCannedReplyBodySchema>;
export const updateCannedReplyBodySchema = createCannedReplyBodySchema
  .partial()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'at least one field is required' });
export type UpdateCannedReplyBody = z.infer<typeof updateCannedReplyBodySchema>;
export const cannedReplyParamsSchema = z.strictObject({ id: uuidSchema });
export const cannedReplyResponseSchema = z.object({ reply: cannedReplySchema });
export const cannedReplyListSchema = z.object({ replies: z.array(cannedReplySchema) });
