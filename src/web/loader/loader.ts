/**
 * The embeddable loader served at /widget.js: `<script src="https://support.example/widget.js" async></script>`.
 *
 * It draws only the launcher button (in a shadow root, so the host page's CSS cannot reach it) and loads
 * the chat, an iframe of `/?embed=1` on the widget's own origin, when the customer first opens it. The
 * iframe keeps the widget's API calls and storage same-origin, and its CSS and JavaScript away from the
 * host page. Plain TypeScript, no framework: it loads on every page of the restaurant's site.
 *
 * Options, as attributes of the script tag: `data-lang="fr|en|nl"` (default: the visitor's browser),
 * `data-position="right|left"` (default right), `data-open="true"` (open at once).
 *
 * Before drawing anything it asks the server whether this site may frame the chat (embed-check): a site
 * missing from ALLOWED_ORIGINS gets one console error naming it instead of a frame the browser refuses.
 * When the browser refuses the iframe its own storage (third-party storage blocked), the iframe hands the
 * conversation (ticket id, token, language) to the loader, which keeps it in this page's localStorage
 * and gives it back after a reload; docs/widget.md says what that trusts.
 */
import type { EmbedCheckResponse } from '../../contracts/embed.ts';
import { EMBED_CHECK_PATH } from '../../contracts/embed-constants.ts';
import { EMBED_MESSAGES, EMBED_PARAM, parseHandover, type Handover } from '../lib/embed-protocol.ts';

/** The host page's localStorage key of what the iframe asked to keep (one key, namespaced). */
const HOST_STORAGE_KEY = 'tasty-food-widget';

const LABELS = {
  fr: { open: 'Ouvrir le chat d’aide Tasty Food', close: 'Fermer le chat d’aide', title: 'Aide Tasty Food', unread: 'nouveau message' },
  en: { open: 'Open the Tasty Food help chat', close: 'Close the help chat', title: 'Tasty Food help', unread: 'new message' },
  nl: { open: 'Open de hulpchat van Tasty Food', close: 'Sluit de hulpchat', title: 'Tasty Food-hulp', unread: 'nieuw bericht' },
} as const;
type LoaderLang = keyof typeof LABELS;

const CSS = `
:host{all:initial}
button{position:fixed;bottom:20px;z-index:2147483000;width:60px;height:60px;border-radius:50%;border:0;
background:#a4161a;color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.3);display:flex;align-items:center;justify-content:center;padding:0}
button:hover{background:#850f13}
button:focus-visible{outline:3px solid #1d4ed8;outline-offset:3px}
svg{width:28px;height:28px;fill:currentColor}
.badge{position:absolute;top:-2px;right:-2px;min-width:20px;height:20px;border-radius:10px;background:#1d4ed8;color:#fff;
font:700 12px/20px system-ui,sans-serif;text-align:center;padding:0 4px;box-sizing:border-box}
.badge[hidden]{display:none}
iframe{position:fixed;bottom:92px;z-index:2147483000;width:380px;height:600px;max-height:calc(100vh - 112px);
border:0;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);background:#fff}
iframe[hidden]{display:none}
@media (max-width:480px){iframe{inset:0;width:100%;height:100%;max-height:none;border-radius:0}}
`;
const CHAT_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-4 4V5a2 2 0 0 1 2-2zm3 6v2h10V9H7zm0 4v2h7v-2H7z"/></svg>';
const CLOSE_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M18.3 5.7 12 12l6.3 6.3-1.4 1.4L10.6 13.4 4.3 19.7 2.9 18.3 9.2 12 2.9 5.7 4.3 4.3l6.3 6.3 6.3-6.3z"/></svg>';

function pickLang(attr: string | null): LoaderLang {
  const candidates = [attr ?? '', ...(navigator.languages ?? []), navigator.language ?? ''];
  for (const c of candidates) {
    const base = c.toLowerCase().split('-')[0];
    if (base === 'fr' || base === 'en' || base === 'nl') return base;
  }
  return 'fr';
}

function readKept(): Handover | null {
  try {
    return parseHandover(JSON.parse(localStorage.getItem(HOST_STORAGE_KEY) ?? 'null'));
  } catch {
    return null; // nothing kept, or this page's storage is refused too
  }
}

function keep(handover: Handover) {
  try {
    if (handover.session || handover.lang || handover.thread) localStorage.setItem(HOST_STORAGE_KEY, JSON.stringify(handover));
    else localStorage.removeItem(HOST_STORAGE_KEY);
  } catch {
    // this page's storage is refused too: the conversation lasts for the page only
  }
}

/**
 * Whether this page may frame the chat. Only a clear "no" from the server hides the launcher: when the
 * check itself fails (server unreachable), the chat opens and tells the customer what it can.
 */
async function mayEmbed(origin: string): Promise<boolean> {
  if (location.origin === origin) return true;
  try {
    const res = await fetch(new URL(EMBED_CHECK_PATH, origin).toString(), { credentials: 'omit' });
    const answer = (await res.json()) as Partial<EmbedCheckResponse>;
    if (answer.allowed !== false) return true;
  } catch {
    return true;
  }
  console.error(
    `Tasty Food widget: this site (${location.origin}) may not embed the chat of ${origin}. Add ${location.origin} to ALLOWED_ORIGINS on that server.`,
  );
  return false;
}

function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  // Fallback (e.g. the tag was inserted by a tag manager after load): the last script ending in /widget.js.
  const all = document.querySelectorAll<HTMLScriptElement>('script[src*="widget.js"]');
  return all[all.length - 1] ?? null;
}

async function mount(script: HTMLScriptElement | null) {
  if (document.getElementById('tasty-food-widget')) return; // the tag was included twice
  const src = script?.src ? new URL(script.src, location.href) : new URL(location.href);
  const origin = src.origin;
  // A language the customer chose in the chat (kept here when the iframe cannot keep it) wins.
  const lang = readKept()?.lang ?? pickLang(script?.getAttribute('data-lang') ?? null);
  const labels = LABELS[lang];
  const side = script?.getAttribute('data-position') === 'left' ? 'left' : 'right';

  const host = document.createElement('div');
  host.id = 'tasty-food-widget';
  // In the page at once (empty) so that a second copy of the tag sees it during the check.
  document.body.append(host);
  if (!(await mayEmbed(origin))) {
    host.remove();
    return;
  }
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = CSS.replaceAll('bottom:20px;', `bottom:20px;${side}:20px;`).replaceAll('bottom:92px;', `bottom:92px;${side}:20px;`);
  const button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('aria-label', labels.open);
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', 'tf-panel');
  button.innerHTML = CHAT_ICON;
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.hidden = true;
  button.append(badge);
  root.append(style, button);

  let frame: HTMLIFrameElement | null = null;
  let frameReady = false;
  let open = false;

  // Only once the chat said it is ready: before that the iframe is still about:blank, of another origin.
  const post = (type: string, extra: object = {}) => {
    if (frameReady) frame?.contentWindow?.postMessage({ type, ...extra }, origin);
  };

  const setOpen = (next: boolean) => {
    open = next;
    button.setAttribute('aria-expanded', String(next));
    button.setAttribute('aria-label', next ? labels.close : labels.open);
    button.innerHTML = next ? CLOSE_ICON : CHAT_ICON;
    button.append(badge);
    if (next) {
      badge.hidden = true;
      if (!frame) {
        frame = document.createElement('iframe');
        frame.id = 'tf-panel';
        frame.title = labels.title;
        frame.setAttribute('allow', 'clipboard-write');
        const url = new URL('/', origin);
        url.searchParams.set(EMBED_PARAM, '1');
        url.searchParams.set('lang', lang);
        frame.src = url.toString();
        root.append(frame);
      }
      frame.hidden = false;
      frame.focus();
      post(EMBED_MESSAGES.opened);
    } else if (frame) {
      frame.hidden = true;
      post(EMBED_MESSAGES.hidden);
      button.focus();
    }
  };

  button.addEventListener('click', () => setOpen(!open));
  window.addEventListener('message', (event: MessageEvent) => {
    if (event.origin !== origin || !frame || event.source !== frame.contentWindow) return;
    const data = event.data as { type?: string; count?: number } | null;
    if (data?.type === EMBED_MESSAGES.close) setOpen(false);
    else if (data?.type === EMBED_MESSAGES.keep) {
      const handover = parseHandover(data);
      if (handover) keep(handover);
    } else if (data?.type === EMBED_MESSAGES.ready) {
      frameReady = true;
      post(EMBED_MESSAGES.resume, readKept() ?? { session: null, lang: null });
      if (open) {
        frame.focus();
        post(EMBED_MESSAGES.opened);
      }
    } else if (data?.type === EMBED_MESSAGES.unread && !open) {
      const count = Number(data.count) || 0;
      badge.hidden = count === 0;
      badge.textContent = count > 9 ? '9+' : String(count);
      button.setAttribute('aria-label', count ? `${labels.open} (${count} ${labels.unread})` : labels.open);
    }
  });
  if (script?.getAttribute('data-open') === 'true') setOpen(true);
}

const script = findScript();
if (document.body) void mount(script);
else document.addEventListener('DOMContentLoaded', () => void mount(script), { once: true });
