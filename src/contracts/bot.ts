import { z } from 'zod';
import { langSchema, textSchema } from './common.ts';
import { intentSchema } from './tickets.ts';

export const BOT_LIMITS = {
  askMaxChars: 1000,
  answersMax: 3,
} as const;

export const askBodySchema = z.strictObject({
  text: textSchema(BOT_LIMITS.askMaxChars).refine((s) => s.trim().length > 0, { message: 'must not be empty' }),
  lang: langSchema.optional(),
});

export const botAnswerSchema = z.object({ key: z.string(), title: z.string(), answer: z.string(), score: z.number() });
export type BotAnswer = z.infer<typeof botAnswerSchema>;

/** The chatbot's reply: best FAQ answers (score 0..1, best first) and whether a person should take over. */
export const askResponseSchema = z.object({
  lang: langSchema,
  intent: intentSchema,
  answers: z.array(botAnswerSchema),
  escalate: z.boolean(),
});
export type AskResponse = z.infer<typeof askResponseSchema>;

export const SUGGESTION_KINDS = ['faq', 'canned'] as const;

/** A reply an agent can insert with one click: an FAQ answer or a canned reply for the ticket's intent. */
export const suggestionSchema = z.object({
  kind: z.enum(SUGGESTION_KINDS),
  key: z.string(),
  title: z.string(),
  body: z.string(),
  score: z.number(),
});
export type Suggestion = z.infer<typeof suggestionSchema>;

export const suggestionsResponseSchema = z.object({ suggestions: z.array(suggestionSchema) });
