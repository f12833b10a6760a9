import { z } from 'zod';
import { langSchema, textSchema } from './common.ts';
import { FAQ_LIMITS, faqKeySchema } from './faq.ts';

/** Why a question was kept: the bot had no good answer, or a customer marked its answer unhelpful. */
export const UNANSWERED_REASONS = ['unanswered', 'unhelpful'] as const;

export const LEARNING_LIMITS = {
  /** Unanswered questions are deleted after this many days (taught ones become FAQ training data and stay). */
  retentionDays: 90,
  /** Longest window the list may cover. */
  maxDays: 90,
  /** Groups listed at most, the largest first. */
  groupsMax: 50,
  /** Questions one teach or dismiss may name. */
  idsMax: 500,
} as const;

/** The model the bot answers with: 0 is the shipped one; `training` while this instance retrains. */
export const botModelStatusSchema = z.object({
  version: z.number().int(),
  examples: z.number().int(),
  training: z.boolean(),
  trained_at: z.string().nullable(),
});
export type BotModelStatus = z.infer<typeof botModelStatusSchema>;

/** Questions alike, shown once with their count; `ids` are what teach and dismiss take. */
export const unansweredGroupSchema = z.object({
  ids: z.array(z.string()),
  text: z.string(),
  lang: langSchema,
  count: z.number().int(),
  unhelpful: z.number().int(),
  examples: z.array(z.string()),
  last_at: z.string(),
  /** The FAQ entry the bot thinks closest, to preselect in the form. */
  suggestion: z.object({ key: z.string(), title: z.string() }).nullable(),
});
export type UnansweredGroup = z.infer<typeof unansweredGroupSchema>;

export const unansweredQuerySchema = z.strictObject({
  days: z.coerce.number().int().min(1).max(LEARNING_LIMITS.maxDays).default(7),
});

export const unansweredListResponseSchema = z.object({
  groups: z.array(unansweredGroupSchema),
  total: z.number().int(),
  days: z.number().int(),
  model: botModelStatusSchema,
});
export type UnansweredListResponse = z.infer<typeof unansweredListResponseSchema>;

const idsSchema = z.array(z.uuid()).min(1).max(LEARNING_LIMITS.idsMax);

/**
 * Teach the bot: `text` (the group's question, possibly edited) becomes a phrasing of the entry `key` in
 * `lang`; a new key creates the entry, and then `title` and `answer` are required.
 */
export const teachBodySchema = z.strictObject({
  ids: idsSchema,
  key: faqKeySchema,
  lang: langSchema,
  text: textSchema(1000).min(1),
  title: textSchema(FAQ_LIMITS.titleMaxChars).min(1).optional(),
  answer: textSchema(FAQ_LIMITS.answerMaxChars).min(1).optional(),
});
export type TeachBody = z.infer<typeof teachBodySchema>;

export const teachResponseSchema = z.object({
  taught: z.number().int(),
  key: z.string(),
  lang: langSchema,
  /** Whether the text was also added to the entry's phrasings (not when it has 40, or the text is over 100 characters). */
  phrasingAdded: z.boolean(),
  model: botModelStatusSchema,
});
export type TeachResponse = z.infer<typeof teachResponseSchema>;

export const dismissBodySchema = z.strictObject({ ids: idsSchema });
export const dismissResponseSchema = z.object({ dismissed: z.number().int() });
