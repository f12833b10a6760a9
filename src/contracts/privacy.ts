import { z } from 'zod';
import { langSchema } from './common.ts';

/** Privacy (issue 21, docs/privacy.md): export, erasure, customers' requests, the access record. */

const emailSchema = z
  .string()
  .trim()
  .min(3)
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+$/, 'must be an e-mail address')
  .transform((s) => s.toLowerCase());

export const PRIVACY_REQUEST_KINDS = ['export', 'erase'] as const;
export const privacyRequestKindSchema = z.enum(PRIVACY_REQUEST_KINDS);
export type PrivacyRequestKind = z.infer<typeof privacyRequestKindSchema>;

/** `POST /api/agent/privacy/export` (admins). Notes about the customer only when the operator chooses. */
export const privacyExportBodySchema = z.strictObject({ email: emailSchema, includeNotes: z.boolean().default(false) });
/** `POST /api/agent/privacy/erase` (admins). */
export const privacyEraseBodySchema = z.strictObject({ email: emailSchema });
/** `POST /api/privacy/requests`: answered 202, the same whether the address is known or not. */
export const privacyRequestBodySchema = z.strictObject({ email: emailSchema, kind: privacyRequestKindSchema, lang: langSchema.optional() });
export const privacyRequestAcceptedSchema = z.object({ accepted: z.literal(true) });
/** `POST /api/privacy/requests/confirm`: the token of the e-mailed link. */
export const privacyConfirmBodySchema = z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a link token') });
/** `PUT /api/agent/privacy/legal-hold` (admins). */
export const legalHoldBodySchema = z.strictObject({ ticketId: z.string().uuid(), hold: z.boolean() });
export const legalHoldResponseSchema = z.object({ ticketId: z.string(), legalHold: z.boolean() });

export const erasedCountsSchema = z.object({
  tickets: z.number(),
  messages: z.number(),
  attachments: z.number(),
  notes: z.number(),
  emails: z.number(),
  tokens: z.number(),
  inboundEmails: z.number(),
  botThreads: z.number(),
  botQuestions: z.number(),
  orders: z.number(),
  errorLogs: z.number(),
  clientMetrics: z.number(),
});
export type ErasedCounts = z.infer<typeof erasedCountsSchema>;
export const privacyEraseResponseSchema = z.object({ erased: erasedCountsSchema });
export type PrivacyEraseResponse = z.infer<typeof privacyEraseResponseSchema>;

const attachmentExportSchema = z.object({
  id: z.string(),
  name: z.string(),
  mime: z.string(),
  size: z.number(),
  uploadedBy: z.string(),
  createdAt: z.string(),
  /** The file itself, base64 (null when its bytes are gone from the store). */
  contentBase64: z.string().nullable(),
});
const messageExportSchema = z.object({ id: z.string(), author: z.string(), body: z.string(), createdAt: z.string() });

/** The export document: every piece of data kept about one address. */
export const privacyExportSchema = z.object({
  format: z.literal('tasty-food-privacy-export/1'),
  email: z.string(),
  generatedAt: z.string(),
  /** The language remembered for the address (e-mails, the chat). */
  languagePreference: z.string().nullable(),
  tickets: z.array(
    z.object({
      id: z.string(),
      status: z.string(),
      priority: z.string(),
      lang: z.string(),
      orderNumber: z.string().nullable(),
      createdAt: z.string(),
      updatedAt: z.string(),
      resolvedAt: z.string().nullable(),
      legalHold: z.boolean(),
      messages: z.array(messageExportSchema),
      attachments: z.array(attachmentExportSchema),
      rating: z.object({ score: z.unknown(), comment: z.unknown(), createdAt: z.string() }).nullable(),
      inboundEmails: z.array(z.object({ from: z.string(), via: z.string(), createdAt: z.string() })),
      botThreads: z.array(z.object({ id: z.string(), lang: z.string(), createdAt: z.string(), turns: z.array(messageExportSchema) })),
      notes: z.array(z.object({ createdAt: z.string(), details: z.unknown() })).optional(),
    }),
  ),
  orders: z.array(
    z.object({
      number: z.string(),
      status: z.string(),
      items: z.unknown(),
      eta: z.string().nullable(),
      createdAt: z.string(),
      events: z.array(z.object({ status: z.string(), at: z.string(), note: z.string().nullable() })),
    }),
  ),
  emails: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      status: z.string(),
      ticketId: z.string().nullable(),
      createdAt: z.string(),
      sentAt: z.string().nullable(),
      /** The copy kept by the dev mailbox (no SMTP_URL), when there is one. */
      subject: z.string().nullable(),
      text: z.string().nullable(),
    }),
  ),
});
export type PrivacyExport = z.infer<typeof privacyExportSchema>;

export const ACCESS_ACTIONS = ['view', 'export', 'erase', 'legal_hold', 'request'] as const;
/** `GET /api/agent/privacy/access-record` (admins): the newest first, for one address or for all. */
export const accessRecordQuerySchema = z.strictObject({
  email: emailSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const accessRecordEntrySchema = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.enum(['agent', 'customer', 'retention']),
  agentId: z.string().nullable(),
  agentEmail: z.string().nullable(),
  action: z.enum(ACCESS_ACTIONS),
  /** The one-way pseudonym of the customer's address. */
  subject: z.string(),
  ticketId: z.string().nullable(),
  details: z.unknown(),
});
export type AccessRecordEntry = z.infer<typeof accessRecordEntrySchema>;
export const accessRecordResponseSchema = z.object({ entries: z.array(accessRecordEntrySchema) });

/** `GET /api/agent/privacy/settings` (admins): the retention periods in effect, in days. */
export const privacySettingsSchema = z.object({
  closedTicketsDays: z.number(),
  botThreadsDays: z.number(),
  sentEmailsDays: z.number(),
  errorLogsDays: z.number(),
  clientMetricsDays: z.number(),
  accessRecordDays: z.number(),
  requestLinkHours: z.number(),
  privacyUrl: z.string().nullable(),
});
export type PrivacySettings = z.infer<typeof privacySettingsSchema>;
