import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Attachment as MailAttachment } from 'mailparser';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import { AppError } from '../../http/app-error.ts';
import { createAttachmentStore, uploadAttachment, type AttachmentLimits, type AttachmentStore, type TicketAccess } from '../attachments/index.ts';
import { authorizeTicket, bearerToken, findTicketById, lockTicket, type TicketRow } from '../tickets/index.ts';

/** At most this many files of one e-mail are kept (a mail of a hundred files is no customer's reply). */
const FILES_PER_EMAIL = 10;

/** What keeping an e-mail's files needs: the attachments module's store, limits and ticket checks. */
export type EmailAttachments = { store: AttachmentStore; limits: AttachmentLimits; tickets: TicketAccess };

export function emailAttachments(config: Config): EmailAttachments {
  return {
    store: createAttachmentStore(config.attachmentStorage),
    limits: {
      maxBytes: config.attachmentMaxBytes,
      ticketQuotaBytes: config.attachmentTicketQuotaBytes,
      ticketQuotaFiles: config.attachmentTicketQuotaFiles,
    },
    tickets: { authorizeTicket, findTicketById, lockTicket, bearerToken },
  };
}

/** The files a person attached: not the inline images the HTML part shows (logos of signatures). */
export function attachedFiles(files: MailAttachment[]): MailAttachment[] {
  return files.filter((f) => !f.related && f.contentType !== 'message/delivery-status' && f.size > 0).slice(0, FILES_PER_EMAIL);
}

/**
 * Uploads an e-mail's files to the ticket as the customer's (the attachments module inspects them:
 * photos re-encoded, PDFs, the rest refused; size and per-ticket quota), each under a clientId derived
 * from the e-mail, so a second delivery finds them instead of storing them again. A file the module
 * refuses is left out (logged); the others are returned for the message to carry.
 */
export async function uploadEmailFiles(o: {
  db: Db;
  attachments: EmailAttachments;
  ticket: TicketRow;
  files: MailAttachment[];
  dedupeKey: string;
  logger?: FastifyBaseLogger;
}): Promise<{ ids: string[]; names: string[]; refused: number }> {
  const ids: string[] = [];
  const names: string[] = [];
  let refused = 0;
  for (const [i, file] of o.files.entries()) {
    const h = createHash('sha256').update(`inbound-email-file:${o.dedupeKey}:${i}`).digest('hex');
    const clientId = `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
    try {
      const { attachment } = await uploadAttachment({
        db: o.db,
        store: o.attachments.store,
        tickets: o.attachments.tickets,
        ticket: o.ticket,
        uploader: { side: 'user', token: null },
        clientId,
        file: { bytes: file.content, name: file.filename ?? `attachment-${i + 1}` },
        limits: o.attachments.limits,
      });
      ids.push(attachment.id);
      names.push(attachment.name);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      refused += 1;
      o.logger?.info({ reason: err.reason, file: file.filename }, 'inbound e-mail: a file was not kept');
    }
  }
  return { ids, names, refused };
}
