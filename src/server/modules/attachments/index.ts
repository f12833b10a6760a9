/** The attachments module's public surface: other modules use these, never its repository. */
export { attachmentsRoutes } from './attachments.routes.ts';
export { attachToMessage, attachmentsByMessage } from './message-attachments.ts';
export { uploadAttachment, type AttachmentLimits } from './upload-attachment.ts';
export { createAttachmentStore, sweepDeletedObjects, type AttachmentStorageConfig } from './stores.ts';
export type { AttachmentStore } from './attachment-store.ts';
