import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ATTACHMENT_CLIENT_ID_FIELD,
  ATTACHMENT_FILE_FIELD,
  attachmentParamsSchema,
  attachmentQuerySchema,
  attachmentResponseSchema,
} from '../../../contracts/attachments.ts';
import { uuidSchema } from '../../../contracts/common.ts';
import { errorBodySchema } from '../../../contracts/errors.ts';
import { ticketParamsSchema } from '../../../contracts/tickets.ts';
import { AppError } from '../../http/app-error.ts';
import { currentAgent, requireAgent, requireSameOrigin, resolveSessionAgent } from '../agents/index.ts';
import { contentDisposition } from './content-disposition.ts';
import { readAttachment } from './read-attachment.ts';
import { createAttachmentStore, deleteAbandonedUploads, sweepDeletedObjects } from './stores.ts';
import type { TicketAccess } from './ticket-access.ts';
import { ticketForUploader, uploadAttachment, type AttachmentLimits, type Uploader } from './upload-attachment.ts';

/** How often an instance deletes from an external store the files of deleted attachments. */
const SWEEP_INTERVAL_MS = 60_000;
/** Abandoned uploads are looked for once an hour. */
const ABANDONED_EVERY_SWEEPS = 60;

/**
 * The served file is never a page: no script, no style, no plugin, no frame of ours around it, and
 * `sandbox` makes it an opaque origin even if a browser renders it as a document.
 */
const FILE_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'";

export type AttachmentsRoutesOptions = { tickets: TicketAccess };

export const attachmentsRoutes: FastifyPluginAsyncZod<AttachmentsRoutesOptions> = async (app, { tickets }) => {
  const store = createAttachmentStore(app.config.attachmentStorage);
  const limits: AttachmentLimits = {
    maxBytes: app.config.attachmentMaxBytes,
    ticketQuotaBytes: app.config.attachmentTicketQuotaBytes,
    ticketQuotaFiles: app.config.attachmentTicketQuotaFiles,
  };
  // Scoped to this plugin: the other routes keep refusing multipart bodies.
  await app.register(multipart, {
    limits: { fileSize: limits.maxBytes, files: 1, fields: 1, fieldSize: 100, parts: 2, headerPairs: 20 },
  });
  // Every instance: abandoned uploads go after a day, and an external store's files after their rows.
  // Instances doing it at once is harmless (the deletes find nothing the second time).
  let sweeps = 0;
  const timer = setInterval(() => {
    sweeps += 1;
    const work = sweeps % ABANDONED_EVERY_SWEEPS === 0 ? deleteAbandonedUploads(app.db, store) : sweepDeletedObjects(app.db, store);
    void work.catch((err: unknown) => app.log.warn({ err }, 'attachments: clean-up failed'));
  }, SWEEP_INTERVAL_MS);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));

  /** Reads the one file of a multipart upload (field `file`, after an optional `clientId`); the ticket is checked first. */
  async function receive(request: FastifyRequest, ticketId: string, uploader: Uploader) {
    const ticket = await ticketForUploader(tickets, app.db, ticketId, uploader);
    request.lang = ticket.lang;
    const part = await request.file();
    if (!part || part.fieldname !== ATTACHMENT_FILE_FIELD) {
      throw new AppError('invalid_request', { reason: 'attachment_file_required' });
    }
    const rawClientId = part.fields[ATTACHMENT_CLIENT_ID_FIELD];
    const clientIdValue = rawClientId && !Array.isArray(rawClientId) && rawClientId.type === 'field' ? rawClientId.value : undefined;
    const clientId = clientIdValue === undefined ? null : uuidSchema.safeParse(clientIdValue).data;
    if (clientId === undefined) throw new AppError('invalid_request', { details: [{ in: 'body', path: 'clientId', message: 'Invalid UUID' }] });
    let bytes: Buffer;
    try {
      bytes = await part.toBuffer();
    } catch (err) {
      if (err instanceof app.multipartErrors.RequestFileTooLargeError) {
        throw new AppError('payload_too_large', { reason: 'attachment_too_large', details: { maxBytes: limits.maxBytes } });
      }
      throw err;
    }
    return uploadAttachment({ db: app.db, store, tickets, ticket, uploader, clientId, file: { bytes, name: part.filename }, limits });
  }

  const uploadSchema = {
    params: ticketParamsSchema,
    response: { 200: attachmentResponseSchema, 201: attachmentResponseSchema, '4xx': errorBodySchema },
  };

  app.post('/api/tickets/:id/attachments', { schema: uploadSchema }, async (request, reply) => {
    const { attachment, created } = await receive(request, request.params.id, { side: 'user', token: tickets.bearerToken(request.headers.authorization) });
    return reply.status(created ? 201 : 200).send({ attachment });
  });

  app.post('/api/agent/tickets/:id/attachments', { schema: uploadSchema, onRequest: requireAgent }, async (request, reply) => {
    const { attachment, created } = await receive(request, request.params.id, { side: 'agent', agentId: currentAgent(request).id });
    return reply.status(created ? 201 : 200).send({ attachment });
  });

  app.get(
    '/api/attachments/:id',
    // No response schema: the answer is the file's bytes; refusals go through the one error handler.
    { schema: { params: attachmentParamsSchema, querystring: attachmentQuerySchema } },
    async (request, reply) => {
      const token = tickets.bearerToken(request.headers.authorization);
      let reader: { side: 'user'; token: string } | { side: 'agent' };
      if (token) {
        reader = { side: 'user', token };
      } else {
        await requireSameOrigin(request);
        if (!(await resolveSessionAgent(app.db, request.headers.cookie))) throw new AppError('unauthorized', { reason: 'token_required' });
        reader = { side: 'agent' };
      }
      const thumb = request.query.thumb === '1';
      const { row, bytes, mime } = await readAttachment({ db: app.db, store, tickets, attachmentId: request.params.id, reader, thumb });
      const inline = mime.startsWith('image/');
      return reply
        .header('content-type', mime)
        .header('content-length', String(bytes.length))
        .header('content-disposition', contentDisposition(thumb ? row.name.replace(/\.[^.]+$/, '.webp') : row.name, inline))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', FILE_CSP)
        .header('cache-control', 'private, max-age=3600')
        .header('cross-origin-resource-policy', 'same-site')
        .send(bytes);
    },
  );
};
