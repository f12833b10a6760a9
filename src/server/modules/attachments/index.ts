/** The attachments module's public surface: other modules use these, never its repository. */
export { attachmentsRoutes, type AttachmentsRoutesOptions } from './attachments.routes.ts';
export type { TicketAccess, TicketView } from './ticket-access.ts';
export { attachToMessage, attachmentsByMessage } from './message-attachments.ts';
export { moveTicketAttachments } from './move-attachments.ts';
export { uploadAttachment, type AttachmentLimits } from './upload-attachment.ts';
export { createAttachmentStore, deleteAbandonedUploads, sweepDeletedObjects, UNSENT_UPLOAD_HOURS } from './stores.ts';
export type { AttachmentStore } from './attachment-store.ts';
