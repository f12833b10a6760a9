import type { Attachment } from '../../../contracts/attachments.ts';
import type { Db } from '../../db/index.ts';
import { ticketRef } from '../../../contracts/tickets.ts';
import { AppError } from '../../http/app-error.ts';
import type { AttachmentStore } from './attachment-store.ts';
import { findAttachmentByClientId, insertAttachment, ticketUsage, type AttachmentRow } from './attachments.repo.ts';
import { inspectFile } from './inspect-file.ts';
import type { TicketAccess, TicketView } from './ticket-access.ts';
import { toAttachment } from './to-attachment.ts';

export type Uploader = { side: 'user'; token: string | null } | { side: 'agent'; agentId: string };

export type AttachmentLimits = { maxBytes: number; ticketQuotaBytes: number; ticketQuotaFiles: number };

/** The ticket an uploader may attach to: the token's own (404 for another's), or any for an agent. */
export async function ticketForUploader(tickets: TicketAccess, db: Db, ticketId: string, uploader: Uploader): Promise<TicketView> {
  if (uploader.side === 'user') return tickets.authorizeTicket(db, ticketId, uploader.token);
  const ticket = await tickets.findTicketById(db, ticketId);
  if (!ticket) throw new AppError('not_found', { reason: 'ticket_not_found' });
  return ticket;
}

/** A merged ticket takes no file, from either side: the same 409 as a message to it (modules/tickets/outcomes.ts). */
function mergedTicket(into: string, lang: TicketView['lang']): AppError {
  return new AppError('conflict', { reason: 'ticket_merged', lang, params: { ticket: ticketRef(into) }, details: { merged_into: into } });
}

/**
 * Stores one uploaded file on a ticket, not yet carried by a message. The bytes are inspected and
 * re-encoded first (inspectFile: nothing is stored when they are refused); the row and the bytes are
 * then written in one transaction under the ticket's row lock, which serialises the per-ticket quota and
 * the clientId check: a retry of the same clientId (an upload whose answer was lost, or the offline
 * outbox sending again) answers the stored attachment, `created: false`.
 */
export async function uploadAttachment(options: {
  db: Db;
  store: AttachmentStore;
  tickets: TicketAccess;
  ticket: TicketView;
  uploader: Uploader;
  clientId: string | null;
  file: { bytes: Buffer; name: string };
  limits: AttachmentLimits;
}): Promise<{ attachment: Attachment; created: boolean }> {
  const { db, store, tickets, ticket, uploader, clientId, limits } = options;
  const lang = ticket.lang;
  if (clientId) {
    const known = await findAttachmentByClientId(db, ticket.id, uploader.side, clientId);
    if (known) return { attachment: toAttachment(known), created: false };
  }
  if (ticket.merged_into) throw mergedTicket(ticket.merged_into, lang);
  if (uploader.side === 'user' && ticket.status === 'closed') throw new AppError('conflict', { reason: 'ticket_closed', lang });
  if (options.file.bytes.length > limits.maxBytes) {
    throw new AppError('payload_too_large', { reason: 'attachment_too_large', lang, details: { maxBytes: limits.maxBytes } });
  }
  const file = await inspectFile(options.file.bytes, options.file.name).catch((err: unknown) => {
    throw err instanceof AppError ? new AppError(err.code, { reason: err.reason, lang, internal: err.message }) : err;
  });
  let stored: AttachmentRow | null = null;
  try {
    const result = await db.transaction(async (tx) => {
      // Merged while the file was inspected: checked again under the row lock the merge takes too.
      const locked = await tickets.lockTicket(tx, ticket.id);
      if (locked?.merged_into) throw mergedTicket(locked.merged_into, lang);
      if (clientId) {
        const known = await findAttachmentByClientId(tx, ticket.id, uploader.side, clientId);
        if (known) return { row: known, created: false };
      }
      const usage = await ticketUsage(tx, ticket.id);
      if (usage.files + 1 > limits.ticketQuotaFiles || usage.bytes + file.bytes.length > limits.ticketQuotaBytes) {
        throw new AppError('payload_too_large', {
          reason: 'attachment_quota',
          lang,
          details: { quotaBytes: limits.ticketQuotaBytes, quotaFiles: limits.ticketQuotaFiles },
        });
      }
      const row = await insertAttachment(tx, {
        request_id: ticket.id,
        uploaded_by: uploader.side,
        agent_id: uploader.side === 'agent' ? uploader.agentId : null,
        client_id: clientId,
        name: file.name,
        mime: file.mime,
        size: file.bytes.length,
        width: file.width,
        height: file.height,
        thumb_mime: file.thumb?.mime ?? null,
        storage: store.kind,
      });
      stored = row;
      await store.put(tx, row.id, 'original', file.bytes, file.mime);
      if (file.thumb) await store.put(tx, row.id, 'thumb', file.thumb.bytes, file.thumb.mime);
      return { row, created: true };
    });
    return { attachment: toAttachment(result.row), created: result.created };
  } catch (err) {
    // An external store wrote at once: take back what the rolled-back row no longer names.
    const orphan = stored as AttachmentRow | null;
    if (orphan && store.kind !== 'pg') await store.remove(db, [orphan.id]).catch(() => undefined);
    throw err;
  }
}
