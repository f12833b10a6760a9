import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/index.ts';
import { AppError } from '../../http/app-error.ts';
import { checkReplyAddress, findOutboxEmail, readReplyKey, recordEmailBounce } from '../email/index.ts';
import { createTicket, findTicketById, sendEmailedCustomerMessage, type TicketRow } from '../tickets/index.ts';
import { attachedFiles, uploadEmailFiles, type EmailAttachments } from './email-attachments.ts';
import { insertInboundEmail, type InboundVia } from './inbound-email.repo.ts';
import { classifyLoop } from './loop-guard.ts';
import { checkMailAuth, type DnsResolver, type MailAuthVerdicts } from './mail-auth.ts';
import { parseEmail, type InboundEmail } from './parse-email.ts';
import { extractReplyText } from './reply-text.ts';

const HOUR_SECONDS = 60 * 60;
/** A bounce names at most this many of our e-mails (a digest of several); more is not a bounce of ours. */
const BOUNCE_MAX_IDS = 10;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** What the server knows that decides where an e-mail goes. */
export type InboundSettings = {
  /** The host of our Message-IDs (`<outbox-row@host>`): PUBLIC_URL's. */
  messageIdHost: string;
  /** Unknown, unsigned mail to this address may open a ticket (when newTickets). */
  supportAddress: string;
  newTickets: boolean;
  /** Our name in the authentication checks. */
  mta: string;
};

/** How the mail reached us: the SMTP envelope (absent through a webhook, which gives the message alone). */
export type InboundEnvelope = {
  /** MAIL FROM; '' for the null sender `<>` of delivery reports. */
  mailFrom: string | null;
  rcptTo: string[];
  remoteAddress?: string;
  helo?: string;
};

export type ReceiveOutcome =
  | { result: 'accepted'; ticketId: string; newTicket: boolean; senderMatches: boolean }
  | { result: 'duplicate'; ticketId: string | null }
  | { result: 'ignored'; reason: 'bounce' | 'auto_reply' | 'own_message' | 'empty' }
  | { result: 'refused'; reason: 'forged_address' | 'sender_mismatch' | 'no_ticket' | 'ticket_closed' | 'no_sender' }
  | { result: 'rate_limited'; reason: 'message_limit' | 'ticket_limit'; retryAfterSeconds: number };

export type ReceiveEmailOptions = {
  db: Db;
  raw: Buffer;
  via: InboundVia;
  settings: InboundSettings;
  envelope?: InboundEnvelope;
  /** DNS for SPF/DKIM/DMARC (tests give their own); the system's by default. */
  resolver?: DnsResolver;
  /** Where the e-mail's files go (the attachments module); without it only the text is kept. */
  attachments?: EmailAttachments;
  logger?: FastifyBaseLogger;
};

/** The same e-mail always gives the same clientId: a second delivery finds the first's message. */
function clientIdFor(dedupeKey: string): string {
  const h = createHash('sha256').update(`inbound-email:${dedupeKey}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function ourIds(text: string, host: string): string[] {
  const escaped = host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`<(${UUID})@${escaped}>`, 'gi');
  return [...new Set([...text.matchAll(re)].map((m) => m[1]!.toLowerCase()))];
}

/** The diagnostic of a delivery report (RFC 3464 Diagnostic-Code or Status), for the outbox row. */
function bounceDiagnostic(raw: string): string {
  const code = /^Diagnostic-Code:\s*([^\r\n]{1,500})/im.exec(raw)?.[1] ?? /^Status:\s*([0-9.]{5,9})/im.exec(raw)?.[1];
  return `bounced (delivery report${code ? `: ${code.trim()}` : ''})`;
}

async function recordBounces(db: Db, raw: Buffer, host: string): Promise<number> {
  const text = raw.toString('utf8', 0, Math.min(raw.length, 512 * 1024));
  const ids = ourIds(text, host);
  if (ids.length === 0 || ids.length > BOUNCE_MAX_IDS) return 0;
  const diagnostic = bounceDiagnostic(text);
  let n = 0;
  for (const id of ids) if (await recordEmailBounce(db, id, diagnostic)) n += 1;
  return n;
}

type Route =
  | { kind: 'ticket'; ticket: TicketRow; signed: boolean }
  | { kind: 'new' }
  | { kind: 'refused'; reason: 'forged_address' | 'no_ticket' };

/**
 * A ticket merged into another (issue 16) holds no conversation any more: a reply to one of its e-mails
 * goes to the kept ticket, which its token and links open too (merged_into never names a merged ticket).
 */
async function followMerge(db: Db, ticket: TicketRow): Promise<TicketRow> {
  if (!ticket.merged_into) return ticket;
  return (await findTicketById(db, ticket.merged_into)) ?? ticket;
}

/**
 * Which ticket an e-mail answers: a signed reply address first, then a Message-ID of ours it replies to;
 * the kept ticket for a merged one.
 */
async function routeEmail(db: Db, mail: InboundEmail, o: ReceiveEmailOptions): Promise<Route> {
  const key = await readReplyKey(db);
  const recipients = [...new Set([...(o.envelope?.rcptTo ?? []).map((a) => a.toLowerCase()), ...mail.recipients])];
  let forged = false;
  for (const address of recipients) {
    const check = checkReplyAddress(key, address);
    if (check.kind === 'forged') forged = true;
    if (check.kind !== 'valid') continue;
    const ticket = await findTicketById(db, check.ticketId);
    if (ticket) return { kind: 'ticket', ticket: await followMerge(db, ticket), signed: true };
  }
  // A reply+ address that is not ours is refused outright, whatever else the mail carries.
  if (forged) return { kind: 'refused', reason: 'forged_address' };
  for (const id of ourIds(mail.inReplyTo.join(' '), o.settings.messageIdHost)) {
    const sent = await findOutboxEmail(db, id);
    const ticket = sent ? await findTicketById(db, sent.request_id) : null;
    if (ticket) return { kind: 'ticket', ticket: await followMerge(db, ticket), signed: false };
  }
  if (o.settings.newTickets && recipients.includes(o.settings.supportAddress)) return { kind: 'new' };
  return { kind: 'refused', reason: 'no_ticket' };
}

/**
 * One inbound e-mail, from the SMTP listener or the webhook: delivery reports mark the outbox row they
 * answer `bounced`; automatic answers and our own mail coming back are dropped; a reply reaching its
 * ticket (signed Reply-To, else In-Reply-To/References naming our Message-ID with the ticket's own
 * address as sender) becomes a customer message, stripped of quotes and signature, with the e-mail's
 * sender and SPF/DKIM/DMARC verdicts kept beside it. The message and that record are written in one
 * transaction; the same e-mail twice is stored once.
 */
export async function receiveEmail(o: ReceiveEmailOptions): Promise<ReceiveOutcome> {
  const { db, raw, settings } = o;
  const log = o.logger;
  const mail = await parseEmail(raw);
  const loop = classifyLoop(mail, o.envelope?.mailFrom);
  if (loop?.kind === 'bounce') {
    const marked = await recordBounces(db, raw, settings.messageIdHost);
    log?.info({ marked, via: o.via }, 'inbound e-mail: delivery report');
    return { result: 'ignored', reason: 'bounce' };
  }
  if (loop) {
    log?.info({ why: loop.why, via: o.via }, 'inbound e-mail: automatic answer ignored');
    return { result: 'ignored', reason: 'auto_reply' };
  }
  const ownId = mail.messageId ? ourIds(mail.messageId, settings.messageIdHost)[0] : undefined;
  if (ownId && (await findOutboxEmail(db, ownId))) return { result: 'ignored', reason: 'own_message' };
  if (!mail.from) return { result: 'refused', reason: 'no_sender' };

  const route = await routeEmail(db, mail, o);
  if (route.kind === 'refused') {
    log?.info({ reason: route.reason, via: o.via }, 'inbound e-mail refused');
    return { result: 'refused', reason: route.reason };
  }
  let body = extractReplyText(mail);
  const files = o.attachments ? attachedFiles(mail.attachments) : [];
  if (!body && files.length === 0) return { result: 'ignored', reason: 'empty' };
  const dedupeKey = mail.messageId ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`;
  const clientId = clientIdFor(dedupeKey);
  // A new ticket opens with the e-mail's text (the ticket form's use case takes no files).
  if (route.kind === 'new') return body ? openTicketFromEmail(o, mail.from, body, clientId) : { result: 'ignored', reason: 'empty' };

  const { ticket, signed } = route;
  const senderMatches = mail.from === ticket.email.toLowerCase();
  // Only a signed address vouches for a stranger (a colleague answering for the customer); a
  // Message-ID alone does not, since anyone the mail was forwarded to knows it.
  if (!senderMatches && !signed) return { result: 'refused', reason: 'sender_mismatch' };

  // Uploaded before the message's transaction (the module inspects and re-encodes them), linked in it.
  const uploaded =
    files.length > 0 && o.attachments && ticket.status !== 'closed'
      ? await uploadEmailFiles({ db, attachments: o.attachments, ticket, files, dedupeKey, logger: log })
      : { ids: [], names: [], refused: 0 };
  if (!body) {
    if (uploaded.ids.length === 0) return { result: 'ignored', reason: 'empty' };
    body = uploaded.names.map((name) => `📎 ${name}`).join('\n');
  }
  const auth: MailAuthVerdicts = await checkMailAuth(raw, {
    ip: o.envelope?.remoteAddress,
    helo: o.envelope?.helo,
    mailFrom: o.envelope?.mailFrom ?? undefined,
    mta: settings.mta,
    resolver: o.resolver,
  });
  const outcome = await db.transaction(async (tx): Promise<ReceiveOutcome> => {
    const sent = await sendEmailedCustomerMessage(tx, { ticketId: ticket.id, body, clientId, attachmentIds: uploaded.ids });
    switch (sent.outcome) {
      case 'not_found':
        return { result: 'refused', reason: 'no_ticket' };
      case 'closed':
        return { result: 'refused', reason: 'ticket_closed' };
      case 'message_limit':
        return { result: 'rate_limited', reason: 'message_limit', retryAfterSeconds: sent.retryAfterSeconds };
      case 'existing':
        return { result: 'duplicate', ticketId: ticket.id };
      case 'created':
        await insertInboundEmail(tx, {
          request_id: ticket.id,
          support_message_id: sent.message.id,
          email_message_id: dedupeKey.slice(0, 1000),
          from_address: mail.from!.slice(0, 320),
          sender_matches: senderMatches,
          signed_address: signed,
          via: o.via,
          ...auth,
        });
        return { result: 'accepted', ticketId: ticket.id, newTicket: false, senderMatches };
    }
  });
  log?.info({ outcome, via: o.via }, 'inbound e-mail');
  return outcome;
}

/** INBOUND_NEW_TICKETS=on: unsigned mail to the support address opens a ticket, within the daily limit. */
async function openTicketFromEmail(o: ReceiveEmailOptions, from: string, body: string, clientId: string): Promise<ReceiveOutcome> {
  try {
    const { ticket } = await createTicket({ db: o.db, input: { email: from, message: body, clientId }, fallbackLang: 'fr' });
    return { result: 'accepted', ticketId: ticket.id, newTicket: true, senderMatches: true };
  } catch (err) {
    if (err instanceof AppError && err.code === 'conflict') {
      return { result: 'duplicate', ticketId: null };
    }
    if (err instanceof AppError && err.code === 'rate_limited') {
      return { result: 'rate_limited', reason: 'ticket_limit', retryAfterSeconds: err.retryAfterSeconds ?? 24 * HOUR_SECONDS };
    }
    throw err;
  }
}
