import { z } from 'zod';
import { uuidSchema } from './common.ts';

/** What a customer or an agent may attach, decided from the file's bytes (magic numbers), never its name. */
export const ATTACHMENT_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export const IMAGE_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type AttachmentMime = (typeof ATTACHMENT_MIME_TYPES)[number];

/** Limits of attachments; the byte sizes are defaults of the configuration (ATTACHMENT_MAX_BYTES, ATTACHMENT_TICKET_QUOTA_BYTES). */
export const ATTACHMENT_LIMITS = {
  perMessage: 5,
  maxBytes: 10 * 1024 * 1024,
  ticketQuotaBytes: 50 * 1024 * 1024,
  ticketQuotaFiles: 50,
  /** Images larger than this many pixels are refused before being decoded (decompression bombs). */
  maxPixels: 40_000_000,
  /** The longest side of a thumbnail, in pixels. */
  thumbSide: 320,
  nameMaxChars: 200,
} as const;

/** The multipart field of an upload that carries the file (the contract's `file`). */
export const ATTACHMENT_FILE_FIELD = 'file';
/** The optional multipart field, before the file, that makes an upload idempotent like a message. */
export const ATTACHMENT_CLIENT_ID_FIELD = 'clientId';

/** An attachment as the API shows it. Images have width and height (after orientation). */
export const attachmentSchema = z.object({
  id: uuidSchema,
  name: z.string(),
  mime: z.enum(ATTACHMENT_MIME_TYPES),
  size: z.number().int(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const attachmentResponseSchema = z.object({ attachment: attachmentSchema });

export const attachmentParamsSchema = z.strictObject({ id: uuidSchema });
export const attachmentQuerySchema = z.strictObject({ thumb: z.enum(['1']).optional() });

/** `attachmentIds` of a message: at most ATTACHMENT_LIMITS.perMessage, no repeats. */
export const attachmentIdsSchema = z
  .array(uuidSchema)
  .max(ATTACHMENT_LIMITS.perMessage)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'must not repeat an attachment' });
