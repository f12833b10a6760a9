// Replies by e-mail (issue 18): what the rest of the server uses of this module.
export { inboundEmailRoutes, inboundSettings, type InboundEmailRoutesOptions } from './inbound-email.routes.ts';
import type { InboundSmtpOptions, InboundSmtpServer } from './inbound-smtp.ts';
import type { receiveEmail as ReceiveEmail } from './receive-email.ts';
export type { InboundSmtpServer } from './inbound-smtp.ts';
export type { ReceiveOutcome } from './receive-email.ts';

// The listener and the reading of an e-mail (smtp-server, mailparser, mailauth: half of the server's
// code by size) load at their first use, not at every start (bench/startup.bench.ts).

/** The SMTP listener (INBOUND_SMTP_PORT), see inbound-smtp.ts. */
export async function startInboundSmtp(o: InboundSmtpOptions): Promise<InboundSmtpServer> {
  return (await import('./inbound-smtp.ts')).startInboundSmtp(o);
}

/** One received e-mail judged and filed, see receive-email.ts. */
export async function receiveEmail(...args: Parameters<typeof ReceiveEmail>): ReturnType<typeof ReceiveEmail> {
  return (await import('./receive-email.ts')).receiveEmail(...args);
}
export type { DnsResolver } from './mail-auth.ts';
export { emailAttachments, type EmailAttachments } from './email-attachments.ts';
