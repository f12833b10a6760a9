import { z } from 'zod';
import { attachmentIdsSchema, attachmentSchema } from './attachments.ts';
import { emailSchema, langSchema, textSchema, uuidSchema } from './common.ts';

export const TICKET_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const;
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const AUTHOR_TYPES = ['user', 'agent', 'bot', 'system'] as const;
export const INTENTS = [
  'faq',
  'problem',
  'complaint',
  'compliment',
  'order_tracking',
  'general_inquiry',
  'unknown',
] as const;

export const ticketStatusSchema = z.enum(TICKET_STATUSES);
export const ticketPrioritySchema = z.enum(TICKET_PRIORITIES);
export const authorTypeSchema = z.enum(AUTHOR_TYPES);
export const intentSchema = z.enum(INTENTS);
export type TicketStatus = z.infer<typeof ticketStatusSchema>;
export type TicketPriority = z.infer<typeof ticketPrioritySchema>;
export type AuthorType = z.infer<typeof authorTypeSchema>;
export type Intent = z.infer<typeof intentSchema>;

/** Limits enforced inside the endpoints, never by the client (docs/architecture.md, Limits inside the endpoints). */
export const LIMITS = {
  ticketsPerEmailPerDay: 5,
  messagesPerTicketPerHour: 100,
  messageMaxChars: 5000,
  orderNumberMaxChars: 64,
  pageDefault: 20,
  pageMax: 100,
} as const;

export const messageBodySchema = textSchema(LIMITS.messageMaxChars).refine((s) => s.trim().length > 0, {
  message: 'must not be empty',
});

/** A ticket as the API shows it. */
export const ticketSchema = z.object({
  id: uuidSchema,
  email: z.string(),
  message: z.string(),
  status: ticketStatusSchema,
  priority: ticketPrioritySchema,
  lang: langSchema,
  order_number: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  last_agent_reply_at: z.string().nullable(),
  /** Only on a ticket merged into another (issue 16): the kept ticket, which this ticket's token opens too. */
  merged_into: uuidSchema.optional(),
});
export type Ticket = z.infer<typeof ticketSchema>;

/** The short reference customers and agents quote (e-mail subjects, messages): the ticket id's first 8 characters. */
export function ticketRef(ticketId: string): string {
  return `#${ticketId.slice(0, 8).toUpperCase()}`;
}

/** A message as the API shows it. `seq` orders a ticket's messages in commit order, without ties. */
export const messageSchema = z.object({
  id: uuidSchema,
  request_id: uuidSchema,
  author_type: authorTypeSchema,
  body: z.string(),
  client_id: z.string().nullable(),
  seq: z.number().int(),
  created_at: z.string(),
  /** The files the message carries (modules/attachments); every message the server sends has it, possibly empty. */
  attachments: z.array(attachmentSchema).optional(),
});
export type Message = z.infer<typeof messageSchema>;

export const createTicketBodySchema = z.strictObject({
  email: emailSchema,
  message: messageBodySchema,
  lang: langSchema.optional(),
  orderNumber: textSchema(LIMITS.orderNumberMaxChars)
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'letters, digits, - and _ only')
    .optional(),
  clientId: uuidSchema.optional(),
  /**
   * A random secret the client draws with `clientId` and never shows (at least 128 bits, base64url): a
   * retry of the creation with the same clientId receives the ticket's token only when it repeats this
   * secret (within CREATE_RETRY_WINDOW_SECONDS); otherwise the retry is 409 and no token is given.
   */
  clientSecret: z.string().regex(/^[A-Za-z0-9_-]{22,128}$/).optional(),
  /** The chat thread's token (POST /api/chat/ask): the ticket's messages begin with that thread's exchange. */
  conversationToken: z.string().regex(/^[A-Za-z0-9_-]{20,200}$/).optional(),
});
export type CreateTicketBody = z.infer<typeof createTicketBodySchema>;

export const createTicketResponseSchema = z.object({ ticket: ticketSchema, token: z.string() });
export const ticketResponseSchema = z.object({ ticket: ticketSchema });

export const ticketParamsSchema = z.strictObject({ id: uuidSchema });

export const listMessagesQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault),
  cursor: z.string().max(200).optional(),
});

export const messagePageSchema = z.object({
  messages: z.array(messageSchema),
  hasMore: z.boolean(),
  nextCursor: z.string().nullable(),
});
export type MessagePage = z.infer<typeof messagePageSchema>;

export const sendMessageBodySchema = z.strictObject({
  body: messageBodySchema,
  clientId: uuidSchema,
  /** Uploads of this ticket's customer (POST /api/tickets/:id/attachments) that the message carries. */
  attachmentIds: attachmentIdsSchema.optional(),
});
export const messageResponseSchema = z.object({ message: messageSchema });
