import type { Lang } from '../../../contracts/common.ts';
import { ticketRef } from '../../../contracts/tickets.ts';
import { translator } from '../../i18n.ts';
import { EMAIL_LINK_TTL_DAYS } from '../tickets/index.ts';
import type { EmailType } from './email.repo.ts';

/** RFC 5322 recommends lines under 78 characters; a subject beyond this is cut with an ellipsis. */
export const SUBJECT_MAX_CHARS = 150;

export type RenderedEmail = { subject: string; text: string; html: string };

export type EmailContent = {
  type: EmailType;
  lang: Lang;
  ticketId: string;
  /** The agent's reply: the body of `agent_reply`. */
  replyBody: string | null;
  /** The link that reopens the conversation in the widget. */
  link: string;
};

/** The widget's address for one ticket; a URL fragment, so the token never reaches a server's logs. */
export function conversationLink(publicUrl: string, ticketId: string, token: string): string {
  return `${publicUrl}/#ticket=${encodeURIComponent(ticketId)}&token=${encodeURIComponent(token)}`;
}

/**
 * A value made safe for a header: every control character (CR and LF above all, which would start a
 * new header) and Unicode line separator becomes a space, runs of spaces collapse, and the result is
 * cut at `max` characters (whole code points). The no-break spaces French puts before ":" ("Tasty
 * Food : …") stay: they are not line breaks, and a plain space there would let the ":" wrap alone.
 */
export function headerSafe(value: string, max = SUBJECT_MAX_CHARS): string {
  const flat = value
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .replace(/[^\S\u00a0\u202f]+/g, ' ')
    .trim();
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Escaped text whose line breaks stay visible in HTML. */
function htmlParagraphs(value: string): string {
  return escapeHtml(value).replace(/\r\n|\r|\n/g, '<br>\n');
}

// The sentences without per-e-mail values are the same for every e-mail of a language: translated once (a
// translator call costs a fraction of a millisecond, and a drain renders thousands of e-mails).
const staticTexts = new Map<string, string>();
function staticText(lang: Lang, key: string): string {
  const id = `${lang}:${key}`;
  let text = staticTexts.get(id);
  if (text === undefined) {
    text = translator(lang)(`emails:${key}`, { days: EMAIL_LINK_TTL_DAYS }) as string;
    staticTexts.set(id, text);
  }
  return text;
}

/**
 * Renders one e-mail in the ticket's language. The `created` e-mail carries nothing the ticket form's
 * sender typed (no quote, no excerpt in the subject, so none of their links): anyone may type anyone's
 * address in that form, and the brand's sender must not carry a stranger's words to it. The agent's
 * reply is quoted; it is never passed through the translator, and is escaped in the HTML part.
 */
export function renderEmail(c: EmailContent): RenderedEmail {
  const t = translator(c.lang);
  const ref = ticketRef(c.ticketId);
  const k = (key: string, values?: Record<string, unknown>) =>
    values ? (t(`emails:${key}`, values) as string) : staticText(c.lang, key);

  const intro = k(`${c.type}.intro`, { ref });
  const quoted = c.type === 'agent_reply' ? (c.replyBody ?? '') : null;
  const subject = headerSafe(k(`${c.type}.subject`, { ref }));
  const linkNote = k('link_note');

  const text = [
    k('greeting'),
    '',
    intro,
    '',
    ...(quoted === null ? [] : [...quoted.split(/\r\n|\r|\n/).map((line) => `> ${line}`), '']),
    k('link_intro'),
    c.link,
    '',
    linkNote,
    '',
    k('signature'),
    '',
    '-- ',
    k('footer'),
    '',
  ].join('\n');

  const html = `<!doctype html>
<html lang="${escapeHtml(c.lang)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f6f6f6;font-family:Arial,Helvetica,sans-serif;color:#222;line-height:1.5">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:24px">
<p>${escapeHtml(k('greeting'))}</p>
<p>${escapeHtml(intro)}</p>
${quoted === null ? '' : `<blockquote style="margin:0 0 16px;padding:8px 12px;border-left:3px solid #e4572e;background:#fafafa">${htmlParagraphs(quoted)}</blockquote>\n`}<p>${escapeHtml(k('link_intro'))}</p>
<p><a href="${escapeHtml(c.link)}" style="display:inline-block;padding:10px 16px;background:#e4572e;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(k('link_label'))}</a></p>
<p style="font-size:13px;color:#555">${escapeHtml(linkNote)}</p>
<p>${escapeHtml(k('signature'))}</p>
</div>
<p style="max-width:560px;margin:12px auto 0;font-size:12px;color:#777">${escapeHtml(k('footer'))}</p>
</body>
</html>
`;
  return { subject, text, html };
}
