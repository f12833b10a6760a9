import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { Db } from '../../db/index.ts';
import { checkReplyAddress, readReplyKey } from '../email/index.ts';
import type { EmailAttachments } from './email-attachments.ts';
import type { DnsResolver } from './mail-auth.ts';
import { receiveEmail, type InboundSettings, type ReceiveOutcome } from './receive-email.ts';

export type InboundSmtpOptions = {
  db: Db;
  port: number;
  host: string;
  maxBytes: number;
  settings: InboundSettings;
  /** Domains we receive for: reply addresses and the support address live there. */
  domains: string[];
  /** PEM certificate and key: STARTTLS is offered when given. */
  tls?: { certFile: string; keyFile: string } | null;
  logger: FastifyBaseLogger;
  resolver?: DnsResolver;
  /** Where e-mailed files go (emailAttachments(config)); without it only the text is kept. */
  attachments?: EmailAttachments;
};

export type InboundSmtpServer = { port: number; close: () => Promise<void> };

/** Simultaneous SMTP connections; a customer's reply is one short conversation. */
const MAX_CLIENTS = 100;
/** An idle connection is dropped after this long. */
const SOCKET_TIMEOUT_MS = 60_000;

type SmtpReply = Error & { responseCode: number };

function smtpError(code: number, message: string): SmtpReply {
  return Object.assign(new Error(message), { responseCode: code });
}

/** The SMTP answer to a judged e-mail: accepted, duplicate and ignored mail is taken (250) so it is not retried. */
function answerFor(outcome: ReceiveOutcome): SmtpReply | null {
  switch (outcome.result) {
    case 'accepted':
    case 'duplicate':
    case 'ignored':
      return null;
    case 'rate_limited':
      return outcome.reason === 'ticket_limit'
        ? smtpError(451, '4.7.1 Too many new requests from this address today, try again later')
        : smtpError(451, '4.7.1 Too many messages for this conversation, try again later');
    case 'refused':
      return outcome.reason === 'forged_address'
        ? smtpError(550, '5.1.1 No such recipient')
        : smtpError(550, `5.7.1 Message refused (${outcome.reason})`);
  }
}

/**
 * The built-in MX for customers' replies (INBOUND_SMTP_PORT): no AUTH (it is where mail is delivered,
 * not a relay), STARTTLS when a certificate is configured, SIZE advertised and enforced, recipients
 * accepted only at our domains (a reply address whose signature is not ours is refused at RCPT), and
 * each message judged by receiveEmail before the final answer, so a sender learns of a refusal.
 */
export async function startInboundSmtp(o: InboundSmtpOptions): Promise<InboundSmtpServer> {
  const domains = new Set(o.domains.map((d) => d.toLowerCase()));
  const key = await readReplyKey(o.db);
  const tls = o.tls ? { key: readFileSync(o.tls.keyFile), cert: readFileSync(o.tls.certFile) } : null;
  const options: SMTPServerOptions = {
    name: o.settings.mta,
    banner: 'Tasty Food Support',
    size: o.maxBytes,
    authOptional: true,
    disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(tls ? { key: tls.key, cert: tls.cert } : {}),
    maxClients: MAX_CLIENTS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    closeTimeout: 5000,
    logger: false,
    onRcptTo(address, _session, callback) {
      const rcpt = address.address.toLowerCase();
      const domain = rcpt.slice(rcpt.lastIndexOf('@') + 1);
      if (!domains.has(domain)) return callback(smtpError(550, '5.7.1 Relaying denied'));
      const check = checkReplyAddress(key, rcpt);
      if (check.kind === 'forged') return callback(smtpError(550, '5.1.1 No such recipient'));
      if (check.kind === 'none' && rcpt !== o.settings.supportAddress) return callback(smtpError(550, '5.1.1 No such recipient'));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let received = 0;
      stream.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received <= o.maxBytes) chunks.push(chunk);
      });
      stream.on('end', () => {
        // smtp-server stops reading at the SIZE limit; what came is dropped, nothing is stored.
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          return callback(smtpError(552, `5.3.4 Message too big (at most ${o.maxBytes} bytes)`));
        }
        const mailFrom = session.envelope.mailFrom;
        receiveEmail({
          db: o.db,
          raw: Buffer.concat(chunks),
          via: 'smtp',
          settings: o.settings,
          envelope: {
            mailFrom: mailFrom === false ? '' : mailFrom.address,
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
            remoteAddress: session.remoteAddress,
            helo: session.hostNameAppearsAs,
          },
          resolver: o.resolver,
          attachments: o.attachments,
          logger: o.logger,
        }).then(
          (outcome) => callback(answerFor(outcome)),
          (err: unknown) => {
            o.logger.error({ err }, 'inbound e-mail: could not be stored');
            callback(smtpError(451, '4.3.0 Temporary failure, try again later'));
          },
        );
      });
      stream.on('error', (err) => callback(err));
    },
  };
  const server = new SMTPServer(options);
  server.on('error', (err) => o.logger.warn({ err }, 'inbound SMTP connection error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  o.logger.info({ port, host: o.host, starttls: tls !== null }, 'inbound SMTP listening');
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
