import type { Lang } from '../../../contracts/common.ts';
import type { Config } from '../../config.ts';
import { translator } from '../../i18n.ts';

// The customer's privacy pages: server-rendered, no framework, one tiny same-origin script (the strict CSP
// allows no inline script) that moves the link's token from the URL fragment into the confirmation form.

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const STYLE = `body{margin:0;padding:24px;background:#f6f6f6;font-family:Arial,Helvetica,sans-serif;color:#222;line-height:1.5}
main{max-width:600px;margin:0 auto;background:#fff;border-radius:8px;padding:24px}
label{display:block;margin:12px 0 4px}input[type=email]{width:100%;padding:8px;box-sizing:border-box}
button{margin-top:16px;padding:10px 16px;background:#e4572e;color:#fff;border:0;border-radius:6px;font-size:16px}`;

function layout(lang: Lang, title: string, body: string, script = false): string {
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title><style>${STYLE}</style>${script ? '<script src="/privacy/confirm.js" defer></script>' : ''}</head>
<body><main><h1>${escapeHtml(title)}</h1>
${body}
</main></body>
</html>
`;
}

type Periods = Pick<Config, 'closedTicketsRetentionDays' | 'botThreadsRetentionDays' | 'sentEmailsRetentionDays' | 'errorLogsRetentionDays' | 'clientMetricsRetentionDays'>;

/** GET /privacy without PRIVACY_URL: what is kept, for how long, and the request form. */
export function privacyPage(lang: Lang, periods: Periods): string {
  const t = translator(lang);
  const k = (key: string, values?: Record<string, unknown>) => escapeHtml(t(`privacy:page.${key}`, values ?? {}) as string);
  return layout(
    lang,
    t('privacy:page.title') as string,
    `<p>${k('intro')}</p>
<ul>
<li>${k('kept_tickets', { days: periods.closedTicketsRetentionDays })}</li>
<li>${k('kept_threads', { days: periods.botThreadsRetentionDays })}</li>
<li>${k('kept_emails', { days: periods.sentEmailsRetentionDays })}</li>
<li>${k('kept_logs', { errorDays: periods.errorLogsRetentionDays, metricsDays: periods.clientMetricsRetentionDays })}</li>
</ul>
<p>${k('rights')}</p>
<form method="post" action="/api/privacy/requests">
<input type="hidden" name="lang" value="${lang}">
<label for="email">${k('email_label')}</label>
<input id="email" name="email" type="email" required maxlength="254" autocomplete="email">
<p><label><input type="radio" name="kind" value="export" checked> ${k('kind_export')}</label>
<label><input type="radio" name="kind" value="erase"> ${k('kind_erase')}</label></p>
<button type="submit">${k('submit')}</button>
</form>`,
  );
}

/** The answer to the form: the same words whether or not the address is known. */
export function acceptedPage(lang: Lang): string {
  const t = translator(lang);
  return layout(lang, t('privacy:page.title') as string, `<p>${escapeHtml(t('privacy:page.accepted') as string)}</p>`);
}

/** GET /privacy/confirm#<token>: the button that completes the request (a GET never erases: mail scanners open links). */
export function confirmPage(lang: Lang): string {
  const t = translator(lang);
  const k = (key: string) => escapeHtml(t(`privacy:page.${key}`) as string);
  return layout(
    lang,
    t('privacy:page.confirm_title') as string,
    `<p>${k('confirm_intro')}</p>
<form method="post" action="/api/privacy/requests/confirm" id="tf-privacy-confirm">
<input type="hidden" name="token" value="">
<button type="submit">${k('confirm_submit')}</button>
</form>
<p id="tf-privacy-no-token" hidden>${k('confirm_no_token')}</p>`,
    true,
  );
}

export function erasedPage(lang: Lang): string {
  const t = translator(lang);
  return layout(lang, t('privacy:page.title') as string, `<p>${escapeHtml(t('privacy:page.erased') as string)}</p>`);
}

/** The confirmation page's script: the token from the fragment into the form, and out of the address bar. */
export const CONFIRM_SCRIPT = `(function(){var f=document.getElementById('tf-privacy-confirm');var t=location.hash.slice(1);
if(!/^[A-Za-z0-9_-]{43}$/.test(t)){f.hidden=true;document.getElementById('tf-privacy-no-token').hidden=false;return;}
f.elements.token.value=t;history.replaceState(null,'',location.pathname+location.search);})();
`;
