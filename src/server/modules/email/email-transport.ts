import type { SMTPPoolOptions, Transporter } from 'nodemailer';
import type { Db } from '../../db/index.ts';
import { insertDevMail } from './email.repo.ts';

/** One e-mail ready to leave: rendered, addressed, with its stable Message-ID. */
export type OutgoingMail = {
  /** The outbox row it comes from. */
  emailId: string;
  /** `<row-uuid@host>`: the same on every attempt, so a resend is recognisable as the same mail. */
  messageId: string;
  from: string;
  to: string;
  /** `reply+<ticket>.<signature>@<domain>`: the customer's reply reaches the ticket (modules/inbound-email). */
  replyTo?: string;
  /** Message-IDs this mail follows (the ticket's first e-mail): mail clients show one thread per ticket. */
  references?: string[];
  /** `Auto-Submitted: auto-generated` on mails nobody wrote, so that auto-responders do not answer them. */
  autoSubmitted?: boolean;
  subject: string;
  text: string;
  html: string;
};

/**
 * How a delivery failed: `temporary` is retried later (network, 4xx, authentication), `permanent`
 * (5xx) and `bounced` (the recipient refused, 550/551/553 at RCPT) are not.
 */
export type DeliveryFailureKind = 'temporary' | 'permanent' | 'bounced';

export class MailDeliveryError extends Error {
  readonly kind: DeliveryFailureKind;
  readonly responseCode?: number;

  constructor(kind: DeliveryFailureKind, message: string, options: { responseCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'MailDeliveryError';
    this.kind = kind;
    this.responseCode = options.responseCode;
  }
}

/**
 * Where e-mails go. One small interface, so that an HTTP e-mail API can be added beside SMTP:
 * `send` resolves once the mail was accepted, or throws a MailDeliveryError.
 */
export interface MailTransport {
  readonly name: string;
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): Promise<void>;
}

type SmtpError = Error & { code?: string; responseCode?: number; command?: string; permanent?: boolean };

/** Parallel connections to the relay; `?maxConnections=` in SMTP_URL overrides it. */
export const SMTP_POOL_CONNECTIONS = 10;

const RECIPIENT_REFUSED_CODES = new Set([550, 551, 553]);

/** Sorts a nodemailer error: only an SMTP reply that says "never" is permanent. */
export function classifySmtpError(err: unknown): MailDeliveryError {
  const e = (err instanceof Error ? err : new Error(String(err))) as SmtpError;
  const code = e.responseCode;
  const detail = [e.code, e.command, e.message].filter(Boolean).join(' ');
  // Bad credentials are a configuration mistake an operator fixes: keep the mail for later.
  if (e.code === 'EAUTH') return new MailDeliveryError('temporary', detail, { responseCode: code, cause: err });
  const permanent = e.permanent ?? (code !== undefined && code >= 500 && code !== 503);
  if (!permanent) return new MailDeliveryError('temporary', detail, { responseCode: code, cause: err });
  const atRecipient = /^RCPT\b/i.test(e.command ?? '') || e.code === 'EENVELOPE';
  const kind = atRecipient && code !== undefined && RECIPIENT_REFUSED_CODES.has(code) ? 'bounced' : 'permanent';
  return new MailDeliveryError(kind, detail, { responseCode: code, cause: err });
}

/**
 * SMTP through nodemailer's pool: a few long-lived connections, reused for every mail. Timeouts are
 * kept well below the worker's lease, so an attempt ends before another worker may take the mail over.
 */
export class SmtpTransport implements MailTransport {
  readonly name = 'smtp';
  /** nodemailer loads here, with SMTP_URL only: a start without it does not load it (bench/startup.bench.ts). */
  private readonly transporter: Promise<Transporter>;

  constructor(smtpUrl: string, options: { maxConnections?: number } = {}) {
    this.transporter = import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport({
      url: smtpUrl,
      pool: true,
      maxConnections: options.maxConnections ?? SMTP_POOL_CONNECTIONS,
      maxMessages: 1000,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    } as SMTPPoolOptions & { pool: true; url: string }));
    // A failure to load is reported by send (a temporary failure), not as an unhandled rejection meanwhile.
    this.transporter.catch(() => {});
  }

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    try {
      await (await this.transporter).sendMail({
        messageId: mail.messageId,
        from: mail.from,
        // An address object, not a string: nodemailer then never parses it as a list of addresses.
        to: { name: '', address: mail.to },
        ...(mail.replyTo ? { replyTo: { name: '', address: mail.replyTo } } : {}),
        ...(mail.references?.length ? { inReplyTo: mail.references.at(-1), references: mail.references } : {}),
        ...(mail.autoSubmitted ? { headers: { 'Auto-Submitted': 'auto-generated' } } : {}),
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      return { messageId: mail.messageId };
    } catch (err) {
      throw classifySmtpError(err);
    }
  }

  async close(): Promise<void> {
    (await this.transporter).close();
  }
}

/** Without SMTP_URL: the mails land in the dev_mailbox table, shown on the debug page. */
export class DevMailboxTransport implements MailTransport {
  readonly name = 'dev-mailbox';

  constructor(private readonly db: Db) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    try {
      await insertDevMail(this.db, {
        emailId: mail.emailId,
        messageId: mail.messageId,
        sender: mail.from,
        recipient: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      });
    } catch (err) {
      throw new MailDeliveryError('temporary', err instanceof Error ? err.message : String(err), { cause: err });
    }
    return { messageId: mail.messageId };
  }

  async close(): Promise<void> {}
}

/** SMTP when SMTP_URL is set, else the dev mailbox. */
export function createMailTransport(options: { smtpUrl: string | undefined; db: Db }): MailTransport {
  return options.smtpUrl ? new SmtpTransport(options.smtpUrl) : new DevMailboxTransport(options.db);
}
