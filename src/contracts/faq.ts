import { z } from 'zod';
import { langSchema, textSchema } from './common.ts';

export const FAQ_LIMITS = {
  titleMaxChars: 200,
  answerMaxChars: 2000,
  phrasingMaxChars: 100,
  phrasingsMax: 40,
  keyMaxChars: 64,
} as const;

/** The FAQ keys every language must have (issue 5); admins may add more. */
export const REQUIRED_FAQ_KEYS = [
  'is_halal',
  'certifications',
  'opening_hours',
  'delivery_zones',
  'delivery_time',
  'delivery_fees',
  'allergens',
  'vegetarian_options',
  'payment_methods',
  'cancel_order',
  'refund_policy',
  'loyalty_program',
] as const;

export const faqKeySchema = z
  .string()
  .max(FAQ_LIMITS.keyMaxChars)
  .regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _ only');

/** An FAQ entry as customers see it. */
export const faqEntrySchema = z.object({ key: z.string(), lang: langSchema, title: z.string(), answer: z.string() });
export type FaqEntry = z.infer<typeof faqEntrySchema>;

export const faqQuerySchema = z.strictObject({ lang: langSchema.optional() });

/**
 * `version` changes whenever any entry changes (also sent as the ETag): the widget keeps
 * `{version, entries}` in sessionStorage under `faq-content` and revalidates with If-None-Match.
 */
export const faqListResponseSchema = z.object({ entries: z.array(faqEntrySchema), version: z.string() });
export type FaqListResponse = z.infer<typeof faqListResponseSchema>;

/** An entry as admins edit it: with its alternate phrasings (used by the chatbot's search) and order. */
export const adminFaqEntrySchema = faqEntrySchema.extend({
  phrasings: z.array(z.string()),
  position: z.number().int(),
  updated_at: z.string(),
});
export type AdminFaqEntry = z.infer<typeof adminFaqEntrySchema>;

export const adminFaqListResponseSchema = z.object({ entries: z.array(adminFaqEntrySchema), version: z.string() });
export const adminFaqEntryResponseSchema = z.object({ entry: adminFaqEntrySchema });

export const faqEntryParamsSchema = z.strictObject({ key: faqKeySchema, lang: langSchema });

const nonEmpty = (max: number) => textSchema(max).trim().min(1);

export const updateFaqEntryBodySchema = z.strictObject({
  title: nonEmpty(FAQ_LIMITS.titleMaxChars),
  answer: nonEmpty(FAQ_LIMITS.answerMaxChars),
  phrasings: z.array(nonEmpty(FAQ_LIMITS.phrasingMaxChars).refine((s) => !s.includes('\n'), 'one line')).max(FAQ_LIMITS.phrasingsMax).optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});
export type UpdateFaqEntryBody = z.infer<typeof updateFaqEntryBodySchema>;
