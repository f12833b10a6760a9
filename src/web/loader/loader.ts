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
 * On the host page's load it does nothing but the launcher (issue 15: its blocking time counts on every
 * page of the site): no storage is read, no frame is created and nothing of the chat is fetched until the
 * customer comes near the launcher (pointer over it, focus, touch: the frame starts loading hidden, so
 * the click opens it at once) or the page is idle (IDLE_DELAY_MS after its load). Then it reads what it
 * keeps in this page's storage: a language chosen in the chat relabels the launcher, and a conversation
 * kept here, or a chat opened on this site in the last RECENT_CHAT_DAYS days, loads the frame hidden, so
 * an agent's reply shows the unread badge.
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
/** When the customer last opened the chat on this site (ms since 1970): only a date, no identifier. */
const OPENED_AT_KEY = 'tasty-food-widget:opened-at';
/** How long after the chat was last opened the frame is loaded on idle, to notice an agent's reply. */
const RECENT_CHAT_DAYS = 14;
/**
 * The idle work (reading this page's storage, and for a returning customer loading the chat hidden)
 * waits this long after the page's load, then for an idle moment (at most IDLE_TIMEOUT_MS more): the
 * host page's own start-up comes first, and on a site of the same registrable domain the chat's frame
 * runs on the host page's main thread. An agent's reply is still noticed seconds after the page opens.
 */
const IDLE_DELAY_MS = 5000;
const IDLE_TIMEOUT_MS = 5000;

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

function openedRecently(now: number): boolean {
  try {
    const at = localStorage.getItem(OPENED_AT_KEY);
    if (at === null) return false;
    if (now - Number(at) < RECENT_CHAT_DAYS * 86_400_000) return true;
    localStorage.removeItem(OPENED_AT_KEY); // older (or unreadable): leave nothing behind
  } catch {
    // storage refused: nothing to go by
  }
  return false;
}

function rememberOpened(now: number) {
  try {
    localStorage.setItem(OPENED_AT_KEY, String(now));
  } catch {
    // storage refused: the frame is then loaded on idle only for a conversation kept here
  }
}

/** Runs `fn` IDLE_DELAY_MS after the page's load, in an idle moment (at the latest IDLE_TIMEOUT_MS later). */
function whenIdle(fn: () => void) {
  const idle = () =>
    setTimeout(() => {
      if (typeof requestIdleCallback === 'function') requestIdleCallback(fn, { timeout: IDLE_TIMEOUT_MS });
      else fn(); // Safari: no requestIdleCallback
    }, IDLE_DELAY_MS);
  if (document.readyState === 'complete') idle();
  else addEventListener('load', idle, { once: true });
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
  // The visitor's language for now; a language chosen in the chat (kept in this page's storage when the
  // iframe cannot keep it) wins once that storage is read (idle or first approach of the launcher).
  let lang = pickLang(script?.getAttribute('data-lang') ?? null);
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
  let unread = 0;
  let kept: Handover | null | undefined; // undefined: this page's storage not read yet

  const label = () => {
    const labels = LABELS[lang];
    button.setAttribute('aria-label', open ? labels.close : unread ? `${labels.open} (${unread} ${labels.unread})` : labels.open);
  };
  label();

  /** Reads this page's storage once (synchronous, so never during the page's load). */
  const readStorage = () => {
    if (kept !== undefined) return;
    kept = readKept();
    if (kept?.lang && kept.lang !== lang) {
      lang = kept.lang;
      label();
    }
  };

  // Only once the chat said it is ready: before that the iframe is still about:blank, of another origin.
  const post = (type: string, extra: object = {}) => {
    if (frameReady) frame?.contentWindow?.postMessage({ type, ...extra }, origin);
  };

  /** The chat's iframe, created hidden the first time it is needed. */
  const ensureFrame = (): HTMLIFrameElement => {
    if (frame) return frame;
    readStorage();
    frame = document.createElement('iframe');
    frame.id = 'tf-panel';
    frame.title = LABELS[lang].title;
    frame.hidden = true;
    frame.setAttribute('allow', 'clipboard-write');
    const url = new URL('/', origin);
    url.searchParams.set(EMBED_PARAM, '1');
    url.searchParams.set('lang', lang);
    frame.src = url.toString();
    root.append(frame);
    return frame;
  };

  const setOpen = (next: boolean) => {
    open = next;
    button.setAttribute('aria-expanded', String(next));
    button.innerHTML = next ? CLOSE_ICON : CHAT_ICON;
    button.append(badge);
    if (next) {
      unread = 0;
      badge.hidden = true;
      const shown = ensureFrame();
      label();
      rememberOpened(Date.now());
      shown.hidden = false;
      shown.focus();
      post(EMBED_MESSAGES.opened);
    } else if (frame) {
      label();
      frame.hidden = true;
      post(EMBED_MESSAGES.hidden);
      button.focus();
    }
  };

  button.addEventListener('click', () => setOpen(!open));
  // The customer comes near the launcher: start loading the chat, hidden, so that the click shows it.
  for (const type of ['pointerenter', 'focus', 'touchstart']) button.addEventListener(type, () => ensureFrame(), { once: true, passive: true });
  window.addEventListener('message', (event: MessageEvent) => {
    if (event.origin !== origin || !frame || event.source !== frame.contentWindow) return;
    const data = event.data as { type?: string; count?: number } | null;
    if (data?.type === EMBED_MESSAGES.close) setOpen(false);
    else if (data?.type === EMBED_MESSAGES.keep) {
      const handover = parseHandover(data);
      if (handover) {
        kept = handover;
        keep(handover);
      }
    } else if (data?.type === EMBED_MESSAGES.ready) {
      frameReady = true;
      readStorage();
      post(EMBED_MESSAGES.resume, kept ?? { session: null, lang: null });
      if (open) {
        frame.focus();
        post(EMBED_MESSAGES.opened);
      }
    } else if (data?.type === EMBED_MESSAGES.unread && !open) {
      unread = Number(data.count) || 0;
      badge.hidden = unread === 0;
      badge.textContent = unread > 9 ? '9+' : String(unread);
      label();
    }
  });
  if (script?.getAttribute('data-open') === 'true') setOpen(true);
  else {
    whenIdle(() => {
      readStorage();
      // A conversation to come back to: load the chat hidden, so that an agent's reply shows the badge.
      if (!frame && (kept?.session || kept?.thread || openedRecently(Date.now()))) ensureFrame();
    });
  }
}

// The script's own task only finds its tag: the rest runs in tasks of its own, none of them long.
const script = findScript();
if (document.body) setTimeout(() => void mount(script), 0);
else document.addEventListener('DOMContentLoaded', () => void mount(script), { once: true });
