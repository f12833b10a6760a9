import { simpleParser, type AddressObject, type Attachment, type HeaderValue } from 'mailparser';

/** What the rest of the module reads of an inbound e-mail. */
export type InboundEmail = {
  /** The Message-ID as written (angle brackets included), or null when the mail has none. */
  messageId: string | null;
  /** Message-IDs this mail answers (In-Reply-To, then References), newest first. */
  inReplyTo: string[];
  /** The From address, lower-cased; null when there is none we can read. */
  from: string | null;
  /** Every recipient the headers name (To, Cc, Delivered-To, X-Original-To), lower-cased. */
  recipients: string[];
  subject: string;
  text: string | null;
  html: string | null;
  /** Header names lower-cased → the raw value (the first line of each header). */
  headers: Map<string, string>;
  /** The top-level content type, lower-cased (`multipart/report` for delivery reports). */
  contentType: string;
  /** The `report-type` parameter of a multipart/report (`delivery-status` for bounces). */
  reportType: string | null;
  attachments: Attachment[];
};

const MESSAGE_ID = /<[^<>\s]{1,996}>/g;

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((a) => a.value.flatMap((v) => [v.address, ...(v.group ?? []).map((g) => g.address)]))
    .filter((a): a is string => typeof a === 'string' && a.includes('@'))
    .map((a) => a.toLowerCase());
}

function headerText(value: HeaderValue | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : '')).join(', ');
  if (typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value);
  if (typeof value === 'object' && 'text' in value) return String((value as { text: unknown }).text);
  return '';
}

/** Parses a raw MIME message with mailparser: no text made from HTML nor HTML from text (reply-text.ts reduces an HTML-only body itself, safely). */
export async function parseEmail(raw: Buffer): Promise<InboundEmail> {
  const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true });
  const headers = new Map<string, string>();
  for (const line of parsed.headerLines) {
    if (!headers.has(line.key)) headers.set(line.key, line.line.slice(line.line.indexOf(':') + 1).trim());
  }
  const contentType = parsed.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const refs = [parsed.inReplyTo ?? '', ...[parsed.references ?? []].flat().reverse()].join(' ');
  const extra = ['delivered-to', 'x-original-to'].flatMap((k) =>
    (headers.get(k) ?? '').split(',').map((a) => a.trim().replace(/^<|>$/g, '').toLowerCase()).filter((a) => a.includes('@')),
  );
  return {
    messageId: parsed.messageId ?? null,
    inReplyTo: [...new Set(refs.match(MESSAGE_ID) ?? [])],
    from: addresses(parsed.from)[0] ?? null,
    recipients: [...new Set([...addresses(parsed.to), ...addresses(parsed.cc), ...extra])],
    subject: parsed.subject ?? headerText(parsed.headers.get('subject')),
    text: parsed.text ?? null,
    html: typeof parsed.html === 'string' ? parsed.html : null,
    headers,
    contentType: (contentType?.value ?? 'text/plain').toLowerCase(),
    reportType: contentType?.params?.['report-type']?.toLowerCase() ?? null,
    attachments: parsed.attachments,
  };
}
