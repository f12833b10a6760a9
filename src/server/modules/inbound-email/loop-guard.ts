import type { InboundEmail } from './parse-email.ts';

/**
 * Subjects of automatic answers in the three languages (and the usual English ones of other clients):
 * "Automatic reply", "Out of office", "Réponse automatique", "Absent du bureau", "Automatisch
 * antwoord", "Afwezig"… Matched at the start, after any "Re:"/"AW:"/"Antw:" prefix.
 */
const AUTO_REPLY_SUBJECT =
  /^(?:(?:re|aw|antw|tr|fw|fwd)\s*:\s*)*(?:auto(?:matic)?[\s-]*(?:reply|response|answer)|autoreply|out of (?:the )?office|ooo\b|away from (?:the )?office|vacation|on holiday|r[ée]ponse automatique|absen(?:ce|t)\b|automatisch(?:e)? (?:antwoord|beantwoording)|afwezig|niet aanwezig|buiten kantoor|vakantie|abwesenheit|automatische antwort)/i;

/** Where delivery reports come from when they carry no machine-readable marks. */
const BOUNCE_SENDER = /^(?:mailer-daemon|postmaster|mail-daemon|bounces?|mailerdaemon)@/i;
const BOUNCE_SUBJECT =
  /^(?:undeliverable|undelivered mail|delivery status notification|mail delivery failed|returned mail|failure notice|non remis|non distribuable|onbestelbaar|niet bezorgd)/i;

export type LoopVerdict = { kind: 'bounce' } | { kind: 'auto_reply'; why: string } | null;

/**
 * Mail no person wrote: a delivery report (null sender, multipart/report, the mailer daemon) or an
 * automatic answer (RFC 3834 Auto-Submitted, Precedence bulk/junk/list, the X-Autoreply family, a
 * mailing list, an out-of-office subject). Answering or storing those makes loops and noise.
 */
export function classifyLoop(mail: InboundEmail, envelopeFrom: string | null | undefined): LoopVerdict {
  const h = mail.headers;
  if (envelopeFrom === '') return { kind: 'bounce' };
  if (mail.contentType === 'multipart/report' && (mail.reportType === 'delivery-status' || mail.reportType === null)) return { kind: 'bounce' };
  if (mail.from && BOUNCE_SENDER.test(mail.from) && BOUNCE_SUBJECT.test(mail.subject.trim())) return { kind: 'bounce' };

  const autoSubmitted = (h.get('auto-submitted') ?? '').trim().toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return { kind: 'auto_reply', why: `auto-submitted: ${autoSubmitted}` };
  const precedence = (h.get('precedence') ?? '').trim().toLowerCase();
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return { kind: 'auto_reply', why: `precedence: ${precedence}` };
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-auto-reply']) {
    if (h.has(name)) return { kind: 'auto_reply', why: name };
  }
  if (h.has('list-id') || h.has('list-unsubscribe')) return { kind: 'auto_reply', why: 'mailing list' };
  if (AUTO_REPLY_SUBJECT.test(mail.subject.trim())) return { kind: 'auto_reply', why: 'subject' };
  return null;
}
