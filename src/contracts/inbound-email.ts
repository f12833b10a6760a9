import { z } from 'zod';

/** Content types `POST /api/inbound/email` takes: the raw MIME message, as providers' inbound webhooks post it. */
export const INBOUND_EMAIL_CONTENT_TYPES = ['message/rfc822', 'application/octet-stream', 'text/plain'] as const;

/**
 * `POST /api/inbound/email` → 202: how the e-mail was judged. `accepted`: a customer message on
 * `ticketId`; `duplicate`: that e-mail was already stored; `ignored`: a bounce (recorded on the outbox),
 * an automatic answer, our own mail, or nothing new written; `refused`: not accepted for `reason`.
 */
export const inboundEmailResultSchema = z.object({
  result: z.enum(['accepted', 'duplicate', 'ignored', 'refused']),
  reason: z.string().optional(),
  ticketId: z.string().nullable().optional(),
});
export type InboundEmailResult = z.infer<typeof inboundEmailResultSchema>;
