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

/**
 * `GET /api/agent/tickets/:id/emails` → 200 `{emails}`: the customer messages of a ticket that came by
 * e-mail, with who sent them (`sender_matches` false: not the ticket's address, accepted only through
 * its signed reply address) and the SPF, DKIM and DMARC verdicts (`pass`, `fail`, `softfail`, `neutral`,
 * `none`, `temperror`, `permerror`; `spf` null when the mail came through a provider's webhook).
 */
export const inboundEmailInfoSchema = z.object({
  message_id: z.string(),
  from: z.string(),
  sender_matches: z.boolean(),
  signed_address: z.boolean(),
  via: z.enum(['smtp', 'webhook']),
  spf: z.string().nullable(),
  dkim: z.string().nullable(),
  dmarc: z.string().nullable(),
  created_at: z.string(),
});
export const inboundEmailsResponseSchema = z.object({ emails: z.array(inboundEmailInfoSchema) });
export type InboundEmailInfo = z.infer<typeof inboundEmailInfoSchema>;
