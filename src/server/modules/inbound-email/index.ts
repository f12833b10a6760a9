// Replies by e-mail (issue 18): what the rest of the server uses of this module.
export { inboundEmailRoutes, inboundSettings, type InboundEmailRoutesOptions } from './inbound-email.routes.ts';
export { startInboundSmtp, type InboundSmtpServer } from './inbound-smtp.ts';
export { receiveEmail, type ReceiveOutcome } from './receive-email.ts';
export type { DnsResolver } from './mail-auth.ts';
export { emailAttachments, type EmailAttachments } from './email-attachments.ts';
