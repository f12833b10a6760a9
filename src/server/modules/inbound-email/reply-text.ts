import EmailReplyParser from 'email-reply-parser';
import { convert } from 'html-to-text';

/** A message's body is at most this long (support_messages); a longer reply is cut with an ellipsis. */
export const MESSAGE_BODY_MAX_CHARS = 5000;
/** Text looked at: the quote patterns are bounded, but a mail of megabytes of text is no reply to read whole. */
const SOURCE_MAX_CHARS = 100_000;

/**
 * The lines mail clients put above the quoted history, in French, English and Dutch, possibly wrapped
 * over two lines (Gmail wraps long ones): "Le mer. 2 déc. 2026 à 08:00, Tasty Food <…> a écrit :",
 * "On Wed, 2 Dec 2026 at 08:00, Tasty Food <…> wrote:", "Op wo 2 dec. 2026 om 08:00 schreef Tasty Food
 * <…>:". Quantifiers are bounded, so a hostile line cannot make a match take long.
 */
const QUOTE_HEADERS: RegExp[] = [
  /^[ \t]*Le\s[^\n]{1,300}(?:\n[^\n]{0,300})?\sa\s+écrit\s*:\s*$/m,
  /^[ \t]*On\s[^\n]{1,300}(?:\n[^\n]{0,300})?\swrote\s*:\s*$/m,
  /^[ \t]*Op\s[^\n]{1,300}(?:\n[^\n]{0,300})?\sschreef\s[^\n]{0,300}:\s*$/m,
  /^[ \t]*-{2,}\s*(?:Original Message|Message d'origine|Oorspronkelijk bericht|Forwarded message|Message transféré|Doorgestuurd bericht)\s*-{2,}\s*$/im,
  // Outlook's header block: "From: …" then "Sent:"/"Date:" (and their French and Dutch forms).
  /^[ \t]*(?:From|De|Van)\s*:\s[^\n]{1,300}\n[ \t]*(?:Sent|Date|Envoyé|Verzonden|Datum)\s*:\s/im,
  /^_{20,}\s*$/m,
];

/** Signature lines the reply parser does not know (Dutch and French phones and mail apps). */
const SIGNATURE_START = /^(?:--\s?|Verzonden (?:vanaf|met|van) .{1,80}|Verstuurd (?:vanaf|met|van) .{1,80}|Envoyé (?:de|depuis|à partir de) .{1,80}|Sent from .{1,80}|Get Outlook for .{1,80})$/;

const htmlOptions = {
  wordwrap: false as const,
  selectors: [
    { selector: 'head', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'noscript', format: 'skip' },
    { selector: 'template', format: 'skip' },
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { ignoreHref: true } },
    // The quoted history as mail clients mark it in HTML: Gmail, Apple Mail/Thunderbird, Outlook, Yahoo.
    { selector: 'div.gmail_quote', format: 'skip' },
    { selector: 'blockquote', format: 'skip' },
    { selector: 'div#appendonsend', format: 'skip' },
    { selector: 'div#divRplyFwdMsg', format: 'skip' },
    { selector: 'div.yahoo_quoted', format: 'skip' },
    { selector: 'div.moz-cite-prefix', format: 'skip' },
  ],
};

/**
 * An HTML body as plain text: scripts, styles, images and link targets dropped, the quoted history
 * blocks skipped. The text is only ever stored and shown as text (never as HTML).
 */
export function htmlToPlainText(html: string): string {
  return convert(html.slice(0, SOURCE_MAX_CHARS * 4), htmlOptions);
}

function cutAtQuoteHeader(text: string): string {
  let end = text.length;
  for (const re of QUOTE_HEADERS) {
    const m = re.exec(text);
    if (m && m.index < end) end = m.index;
  }
  return text.slice(0, end);
}

function cutAtSignature(text: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((line) => SIGNATURE_START.test(line.trimEnd()));
  return at < 0 ? text : lines.slice(0, at).join('\n');
}

/**
 * What the customer wrote in this e-mail, without the quoted history or the signature: the text part
 * (else the HTML part reduced to text), cut at the first FR/EN/NL quote header, then through the
 * reply parser (quoted `>` blocks, signatures), with line breaks normalised and the result cut to the
 * message size. Empty when nothing new was written.
 */
export function extractReplyText(mail: { text: string | null; html: string | null }): string {
  const source = mail.text?.trim() ? mail.text : mail.html ? htmlToPlainText(mail.html) : '';
  let text = source
    .slice(0, SOURCE_MAX_CHARS)
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
  text = cutAtQuoteHeader(text);
  text = new EmailReplyParser().read(text).getVisibleText();
  text = cutAtSignature(text)
    .split('\n')
    .filter((line) => !/^\s*>/.test(line))
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const chars = [...text];
  return chars.length <= MESSAGE_BODY_MAX_CHARS ? text : `${chars.slice(0, MESSAGE_BODY_MAX_CHARS - 1).join('').trimEnd()}…`;
}
