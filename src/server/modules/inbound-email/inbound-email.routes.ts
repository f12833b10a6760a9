import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBodySchema } from '../../../contracts/errors.ts';
import {
  INBOUND_EMAIL_CONTENT_TYPES,
  inboundEmailResultSchema,
  inboundEmailsResponseSchema,
  type InboundEmailResult,
} from '../../../contracts/inbound-email.ts';
import { ticketParamsSchema } from '../../../contracts/tickets.ts';
import type { Config } from '../../config.ts';
import { AppError } from '../../http/app-error.ts';
import { requireAgent } from '../agents/index.ts';
import { emailAttachments } from './email-attachments.ts';
import { listInboundEmailsOfTicket } from './inbound-email.repo.ts';
import type { DnsResolver } from './mail-auth.ts';
import type { InboundSettings, ReceiveOutcome } from './receive-email.ts';

export type InboundEmailRoutesOptions = { resolver?: DnsResolver };

/** What decides where inbound mail goes, from the configuration. */
export function inboundSettings(config: Config): InboundSettings {
  return {
    messageIdHost: new URL(config.publicUrl).hostname || 'localhost',
    supportAddress: config.supportAddress,
    newTickets: config.inboundNewTickets,
    mta: config.replyDomain,
  };
}

function sameSecret(given: string, expected: string): boolean {
  // Hashes first: equal lengths for timingSafeEqual, and no length leak.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function toResult(outcome: Exclude<ReceiveOutcome, { result: 'rate_limited' }>): InboundEmailResult {
  switch (outcome.result) {
    case 'accepted':
      return { result: 'accepted', ticketId: outcome.ticketId };
    case 'duplicate':
      return { result: 'duplicate', ticketId: outcome.ticketId };
    case 'ignored':
    case 'refused':
      return { result: outcome.result, reason: outcome.reason };
  }
}

/**
 * `POST /api/inbound/email`: the raw MIME message from a provider's inbound webhook (Mailgun's
 * "store and notify" MIME, SendGrid's raw parse, Postmark's raw, a Cloudflare Email Worker…), with
 * `Authorization: Bearer <INBOUND_EMAIL_SECRET>`. Checked before the body is read; the body may be
 * as large as INBOUND_EMAIL_MAX_BYTES (413 past it). 202 with the verdict; 429 when the conversation's
 * hourly limit is reached (the provider retries later).
 */
export const inboundEmailRoutes: FastifyPluginAsyncZod<InboundEmailRoutesOptions> = async (app, options) => {
  const config = app.config;
  const attachments = emailAttachments(config);
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser([...INBOUND_EMAIL_CONTENT_TYPES], { parseAs: 'buffer', bodyLimit: config.inboundEmailMaxBytes }, (_request, body, done) => {
    done(null, body);
  });

  app.post(
    '/api/inbound/email',
    {
      bodyLimit: config.inboundEmailMaxBytes,
      onRequest: async (request) => {
        const secret = config.inboundEmailSecret;
        if (!secret) throw new AppError('unavailable', { reason: 'inbound_email_disabled' });
        const auth = request.headers.authorization ?? '';
        const given = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
        if (!given || !sameSecret(given, secret)) throw new AppError('unauthorized');
      },
      schema: {
        response: { 202: inboundEmailResultSchema, '4xx': errorBodySchema, '5xx': errorBodySchema },
      },
    },
    async (request, reply) => {
      const raw = request.body;
      if (!Buffer.isBuffer(raw) || raw.length === 0) throw new AppError('invalid_request', { reason: 'email_required' });
      // Loaded at the first e-mail (mailparser, mailauth), not at every start.
      const { receiveEmail } = await import('./receive-email.ts');
      const outcome = await receiveEmail({
        db: app.db,
        raw,
        via: 'webhook',
        settings: inboundSettings(config),
        resolver: options.resolver,
        attachments,
        logger: request.log,
      });
      if (outcome.result === 'rate_limited') {
        throw new AppError('rate_limited', { reason: outcome.reason, retryAfterSeconds: outcome.retryAfterSeconds });
      }
      return reply.status(202).send(toResult(outcome));
    },
  );

  await app.register(agentEmailRoutes);
};

/** The e-mail side of a ticket's messages, for the agents (session): who sent each one, and its verdicts. */
const agentEmailRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', requireAgent);
  app.get(
    '/api/agent/tickets/:id/emails',
    { schema: { params: ticketParamsSchema, response: { 200: inboundEmailsResponseSchema, '4xx': errorBodySchema } } },
    async (request) => {
      const rows = await listInboundEmailsOfTicket(app.db, request.params.id);
      return {
        emails: rows.map((r) => ({
          message_id: r.support_message_id,
          from: r.from_address,
          sender_matches: r.sender_matches,
          signed_address: r.signed_address,
          via: r.via,
          spf: r.spf,
          dkim: r.dkim,
          dmarc: r.dmarc,
          created_at: r.created_at.toISOString(),
        })),
      };
    },
  );
};
