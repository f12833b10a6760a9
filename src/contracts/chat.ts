import { z } from 'zod';
import { askBodySchema, askResponseSchema, botAnswerSchema } from './bot.ts';
import { langSchema, textSchema } from './common.ts';
import { intentSchema } from './tickets.ts';

/** A conversation token: 256 random bits, base64url (43 characters); the server keeps only its hash. */
export const conversationTokenSchema = textSchema(200).regex(/^[A-Za-z0-9_-]{20,200}$/, 'not a conversation token');

/** What the bot proposes to do instead of answering from the FAQ: track an order (number found in the text, if any). */
export const botActionSchema = z.object({
  type: z.literal('track_order'),
  orderNumber: z.string().optional(),
});
export type BotAction = z.infer<typeof botActionSchema>;

export const chatAskBodySchema = askBodySchema.extend({ conversationToken: conversationTokenSchema.optional() });
export type ChatAskBody = z.infer<typeof chatAskBodySchema>;

/**
 * The bot's answer inside the thread. `reply` is what its bubble says, in `lang` (the best answer, the
 * question about the order, a small-talk reply, or why a person should answer); `conversationToken` is
 * the thread's (a new one when none or an unknown one was sent).
 */
export const chatAskResponseSchema = askResponseSchema.extend({
  action: botActionSchema.optional(),
  reply: z.string(),
  conversationToken: z.string(),
});
export type ChatAskResponse = z.infer<typeof chatAskResponseSchema>;

export const BOT_TURN_AUTHORS = ['user', 'bot'] as const;

/** A bot turn's detail: what the widget needs to draw the bubble again after a reload. */
export const botTurnDetailSchema = z.object({
  lang: langSchema,
  intent: intentSchema,
  answers: z.array(botAnswerSchema),
  escalate: z.boolean(),
  action: botActionSchema.optional(),
  /** What the bubble said (always set on new turns). */
  reply: z.string().optional(),
});
export type BotTurnDetail = z.infer<typeof botTurnDetailSchema>;

/** One bubble of the bot thread, oldest first by `seq`. */
export const botTurnSchema = z.object({
  seq: z.number().int(),
  author_type: z.enum(BOT_TURN_AUTHORS),
  body: z.string(),
  detail: botTurnDetailSchema.nullable(),
  created_at: z.string(),
});
export type BotTurn = z.infer<typeof botTurnSchema>;

/** `GET /api/chat/thread` (Authorization: Bearer <conversationToken>): the kept thread, for a reload. */
export const chatThreadResponseSchema = z.object({ turns: z.array(botTurnSchema) });
export type ChatThreadResponse = z.infer<typeof chatThreadResponseSchema>;

export const chatFeedbackBodySchema = z.strictObject({
  conversationToken: conversationTokenSchema,
  key: textSchema(200).min(1),
  helpful: z.boolean(),
});
export type ChatFeedbackBody = z.infer<typeof chatFeedbackBodySchema>;

/** Most turns a thread keeps; past it the oldest are still there but the widget shows the last ones. */
export const CHAT_LIMITS = {
  turnsShown: 200,
} as const;

export const chatHandoffQuerySchema = z.strictObject({ lang: langSchema.optional() });

/**
 * `GET /api/chat/handoff?lang=`: when a person usually answers, for "talk to a person". While support is
 * open, `medianFirstResponseSeconds` is the median first response of the last 7 days (absent when there
 * was none); while it is closed, `nextAnswer` says when a person will answer, in `lang` ("tomorrow from 11:00").
 */
export const chatHandoffResponseSchema = z.object({
  open: z.boolean(),
  nextAnswer: z.string().optional(),
  medianFirstResponseSeconds: z.number().int().nonnegative().optional(),
});
export type ChatHandoffResponse = z.infer<typeof chatHandoffResponseSchema>;

/** The window of first responses whose median the handoff line gives. */
export const HANDOFF_WAIT_WINDOW_DAYS = 7;
