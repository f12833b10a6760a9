import { z } from 'zod';

/** `privacy_*`: the confirmation link of a customer's privacy request (modules/privacy): no ticket. */
export const EMAIL_TYPES = ['created', 'agent_reply', 'privacy_export', 'privacy_erase'] as const;
export const EMAIL_STATUSES = ['pending', 'sent', 'failed', 'bounced'] as const;
export const emailTypeSchema = z.enum(EMAIL_TYPES);
export const emailStatusSchema = z.enum(EMAIL_STATUSES);
export type EmailType = z.infer<typeof emailTypeSchema>;
export type EmailStatus = z.infer<typeof emailStatusSchema>;

/** `GET /api/debug/emails`: the dev mailbox (mails "sent" while no SMTP_URL is set), newest first. */
export const devMailsQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });
export const devMailSchema = z.object({
  id: z.string(),
  email_id: z.string().nullable(),
  message_id: z.string(),
  sender: z.string(),
  recipient: z.string(),
  subject: z.string(),
  text_body: z.string(),
  html_body: z.string(),
  created_at: z.string(),
});
export const devMailsResponseSchema = z.object({ transport: z.enum(['smtp', 'dev-mailbox']), emails: z.array(devMailSchema) });
export type DevMail = z.infer<typeof devMailSchema>;

/** `GET /api/debug/email-queue`: the outbox's state. */
export const emailQueueStateSchema = z.object({
  transport: z.enum(['smtp', 'dev-mailbox']),
  byStatus: z.object({ pending: z.number(), sent: z.number(), failed: z.number(), bounced: z.number() }),
  due: z.number(),
  retrying: z.number(),
  oldestPendingSeconds: z.number(),
  lastErrors: z.array(
    z.object({
      id: z.string(),
      request_id: z.string().nullable(),
      email_type: emailTypeSchema,
      status: emailStatusSchema,
      retry_count: z.number(),
      last_error: z.string(),
      last_attempt_at: z.string().nullable(),
      next_retry_at: z.string(),
    }),
  ),
});
