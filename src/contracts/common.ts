import { z } from 'zod';

export const LANGS = ['fr', 'en', 'nl'] as const;
export const DEFAULT_LANG = 'fr';
export const langSchema = z.enum(LANGS);
export type Lang = z.infer<typeof langSchema>;

/**
 * Text as a person typed it: no NUL byte (PostgreSQL cannot store one) and no lone UTF-16 surrogate
 * (it cannot be encoded as UTF-8, so it would be silently replaced). Both are refused, never altered.
 */
export function textSchema(max: number) {
  return z
    .string()
    .max(max)
    .refine((s) => !s.includes('\u0000'), { message: 'must not contain NUL characters' })
    .refine((s) => s.isWellFormed(), { message: 'must be well-formed Unicode' });
}

/** An e-mail address as accepted from customers: at most 254 characters, no CR/LF, stored lower-cased. */
export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .refine((s) => !/[\r\n]/.test(s), { message: 'must not contain line breaks' })
  .pipe(z.email())
  .transform((s) => s.toLowerCase());

export const uuidSchema = z.uuid();
