import type { Lang } from '../../../contracts/common.ts';
import { translator } from '../../i18n.ts';
import { escapeHtml } from './privacy-pages.ts';
import { REQUEST_LINK_HOURS } from './request-privacy.ts';

/**
 * The confirmation e-mail of a customer's privacy request (`privacy_export` / `privacy_erase`), in the
 * request's language. It carries nothing the requester typed: anyone may type anyone's address in the form.
 */
export function renderPrivacyEmail(c: { type: 'privacy_export' | 'privacy_erase'; lang: Lang; link: string }): { subject: string; text: string; html: string } {
  const t = translator(c.lang);
  const k = (key: string) => t(`privacy:email.${key}`, { hours: REQUEST_LINK_HOURS }) as string;
  const kind = c.type === 'privacy_export' ? 'export' : 'erase';
  const subject = k(`${kind}_subject`);
  const text = [k('greeting'), '', k(`${kind}_intro`), c.link, '', k('link_note'), '', k('signature'), ''].join('\n');
  const html = `<!doctype html>
<html lang="${c.lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f6f6f6;font-family:Arial,Helvetica,sans-serif;color:#222;line-height:1.5">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:24px">
<p>${escapeHtml(k('greeting'))}</p>
<p>${escapeHtml(k(`${kind}_intro`))}</p>
<p><a href="${escapeHtml(c.link)}" style="display:inline-block;padding:10px 16px;background:#e4572e;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(k('link_label'))}</a></p>
<p style="font-size:13px;color:#555">${escapeHtml(k('link_note'))}</p>
<p>${escapeHtml(k('signature'))}</p>
</div>
</body>
</html>
`;
  return { subject, text, html };
}
